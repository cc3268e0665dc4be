"""The no-leak walk in the demo place itself: each of the README's demo users, against people
of the place they may not see, over every route they can reach (referral pages and lists, and
the admin for the administrator), and every FHIR resource."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver

from tests.access.test_no_data_leaks import _concrete, _routes
from wraparound.caseload.models import Patient
from wraparound.demo.place import DEMO_USERS as DEMO_PLACE_USERS
from wraparound.door.policy import decide, visible_patients
from wraparound.referrals.models import Referral

DEMO_USERS = tuple(user.username for user in DEMO_PLACE_USERS)  # the README's


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    from tests.factories import shared_place

    yield from shared_place(django_db_blocker, residents=4_000, today=dt.date(2026, 11, 2))


@pytest.fixture
def demo(_demo, db):
    return _demo


def _hidden_with_referrals(user, count: int = 2) -> list[Patient]:
    """People with referrals this user may not see: the likeliest to leak through a referral."""
    found = []
    for referral in Referral.objects.select_related("patient").order_by("pk")[:400]:
        person = referral.patient
        if person not in found and not decide(user, person).allowed:
            found.append(person)
        if len(found) == count:
            break
    return found


def test_every_demo_user_sees_no_one_they_may_not_through_any_route(client, demo):
    routes = [route for route, _ in _routes(get_resolver())]
    walked = 0
    for username in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        for person in _hidden_with_referrals(user):
            secrets = [person.nhs_number, person.address]  # names repeat in a place
            referral_ids = list(person.referrals.values_list("pk", flat=True))
            ids = dict.fromkeys(("patient_id", "object_id", "pk", "id", "use_id"), str(person.pk))
            ids["referral_id"] = str(referral_ids[0])
            for route in routes:
                if "admin/" in route and username != "admin":
                    continue
                url = _concrete(route, ids)
                if url is None or "sign-out" in url:
                    continue
                body = client.get(url, follow=True).content.decode(errors="replace")
                for secret in secrets:
                    assert secret not in body, f"{username}: GET {url} leaked {secret!r}"
                walked += 1
    assert walked > 300, walked


def test_every_demo_user_gets_no_one_they_may_not_over_fhir(client, demo):
    from tests.factories import TOKEN_ISSUER
    from wraparound.fhir.actions import issue_token
    from wraparound.fhir.views import RESOURCES

    for username in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        token, _ = issue_token(username=username, by=TOKEN_ISSUER)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        for person in _hidden_with_referrals(user, count=1):
            secrets = [person.nhs_number, person.address]  # names repeat in a place
            asks = [
                (f"/fhir/ServiceRequest/{r}", {})
                for r in person.referrals.values_list("pk", flat=True)
            ]
            asks += [(f"/fhir/{t}/{person.pk}", {}) for t in RESOURCES]
            asks += [(f"/fhir/{t}", {"patient": f"Patient/{person.pk}"}) for t in RESOURCES]
            for url, params in asks:
                body = client.get(url, params, **auth).content.decode()
                for secret in secrets:
                    assert secret not in body, f"{username}: GET {url} leaked {secret!r}"


def test_the_paramedic_sees_nobody_until_breaking_the_glass_as_the_readme_says(demo):
    paramedic = get_user_model().objects.get(username="paramedic")
    assert not visible_patients(Patient.objects.all(), paramedic).exists()
