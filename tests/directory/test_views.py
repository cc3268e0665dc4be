"""The directory pages: the coordinator's search and the provider's capacity page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import on_caseload, staff
from wraparound.access.models import AuditAction, AuditEvent
from wraparound.directory.models import Gap


@pytest.fixture
def coordinator(place):
    return staff("coordinator", place.trust, "coordinator", place.nursing)


@pytest.fixture
def trust_manager(place):
    return staff("trust_manager", place.trust, "service_manager")


def _search(client, person, needs=("breathlessness", "unable_to_manage"), urgency="2-hour"):
    return client.post(
        reverse("directory:search"),
        {"nhs_number": person.nhs_number, "needs": list(needs), "urgency": urgency},
    )


def test_a_coordinator_searches_for_a_person_they_can_see_and_it_is_audited(
    client, directory, coordinator
):
    on_caseload(directory.mrs_jones, directory.central_nursing.team)
    client.force_login(coordinator)
    page = _search(client, directory.mrs_jones).content.decode()
    assert "Central Community Nursing" in page
    assert "does not cover Hillside neighbourhood" in page
    assert "Aged 82" in page
    event = AuditEvent.objects.get(purpose="directory search")
    assert event.action == AuditAction.VIEW and event.patient_id_at_event == directory.mrs_jones.pk


def test_a_search_records_gaps_for_commissioners(client, directory, coordinator):
    on_caseload(directory.mrs_jones, directory.central_nursing.team)
    client.force_login(coordinator)
    _search(client, directory.mrs_jones, needs=["unable_to_manage"], urgency="routine")
    assert Gap.objects.filter(service=directory.young_reablement, rule="age").exists()


def test_a_person_the_coordinator_cannot_see_is_not_found(client, directory, coordinator):
    client.force_login(coordinator)  # Mrs Jones is on nobody's caseload
    response = _search(client, directory.mrs_jones)
    page = response.content.decode()
    assert "No one you can see has this NHS number" in page
    assert "Jones" not in page and "Urgent Community Response" not in page
    assert AuditEvent.objects.get(purpose="directory search").detail == {"found": False}


def test_the_search_page_is_for_coordinators(client, place, directory):
    client.force_login(place.users["analyst"])
    assert client.get(reverse("directory:search")).status_code == 403


def test_a_provider_sees_and_updates_its_own_services_capacity(client, directory, trust_manager):
    client.force_login(trust_manager)
    page = client.get(reverse("directory:services")).content.decode()
    assert "Urgent Community Response" in page
    assert "Testford Emergency Department" not in page  # the hospital's, not the trust's
    url = reverse("directory:update_capacity", args=[directory.ucr.pk])
    prefix = f"s{directory.ucr.pk}"
    response = client.post(url, {f"{prefix}-capacity": "amber", f"{prefix}-free_slots": "3"})
    assert response.status_code == 302
    directory.ucr.refresh_from_db()
    assert (directory.ucr.capacity, directory.ucr.free_slots) == ("amber", 3)


def test_another_provider_gets_403_and_changes_nothing(client, place, directory):
    client.force_login(staff("council_manager", place.council, "service_manager"))
    url = reverse("directory:update_capacity", args=[directory.ucr.pk])
    prefix = f"s{directory.ucr.pk}"
    response = client.post(url, {f"{prefix}-capacity": "red", f"{prefix}-free_slots": "0"})
    assert response.status_code == 403
    directory.ucr.refresh_from_db()
    assert directory.ucr.capacity == "green"


def test_the_capacity_page_needs_the_manage_services_permission(client, place, directory):
    client.force_login(place.users["nurse"])
    assert client.get(reverse("directory:services")).status_code == 403


def test_home_pages_link_the_directory_to_the_right_roles(client, coordinator, trust_manager):
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert reverse("directory:search") in page
    assert reverse("directory:services") not in page
    client.force_login(trust_manager)
    page = client.get(reverse("home")).content.decode()
    assert reverse("directory:services") in page
