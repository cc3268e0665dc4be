import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory, on_caseload


@pytest.fixture
def administrator(place):
    from tests.factories import staff

    user = staff("administrator", place.trust, "administrator")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_an_administrator_can_open_every_admin_list_and_add_page(client, administrator):
    client.force_login(administrator)
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist


def test_the_admin_shows_people_only_through_the_access_policy(client, place, administrator):
    person = PatientFactory(family_name="Hiddenperson")
    on_caseload(person, place.outsider_team)
    client.force_login(administrator)
    page = client.get(reverse("admin:caseload_patient_changelist")).content.decode()
    assert "Hiddenperson" not in page


def test_a_non_staff_user_cannot_use_the_admin(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
