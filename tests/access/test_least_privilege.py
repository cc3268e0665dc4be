"""Each role sees the minimum its work needs, as its definition in ``access.roles`` says."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TOKEN_ISSUER, PatientFactory, consent, in_care_team, on_caseload
from wraparound.access.roles import ROLES, WHOLE_RECORD, Relationship, Role, Section
from wraparound.caseload.models import Condition
from wraparound.door.policy import Basis, decide, sections_for
from wraparound.fhir.actions import issue_token


@pytest.fixture
def befriended(place):
    """Someone the charity befriends (in the care team), also on the trust's caseload and
    sharing across the alliance."""
    person = PatientFactory(
        given_name="Ivy",
        family_name="Pennington",
        home_access="Key safe by the back door",
        what_to_bring="Large-print paperwork",
    )
    on_caseload(person, place.nursing)
    in_care_team(person, place.voluntary, role="Befriender")
    consent(person, "share_alliance")
    Condition.objects.create(
        patient=person, system="http://snomed.info/sct", code="13645005", display="COPD"
    )
    return person


def test_a_befriender_sees_who_where_how_to_get_in_and_what_to_bring(client, place, befriended):
    client.force_login(place.users["befriender"])
    page = client.get(reverse("caseload:person", args=[befriended.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "PENNINGTON" in body and befriended.address in body
    assert "Key safe by the back door" in body and "Large-print paperwork" in body
    for clinical in ("COPD", "Care plans", "Long-term conditions", "Handover", "Visits"):
        assert clinical not in body
    assert befriended.nhs_number_formatted not in body


def test_a_befriender_gets_no_clinical_resource_over_fhir(client, place, befriended):
    secret, _ = issue_token(username="befriender", by=TOKEN_ISSUER)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    patient = client.get(f"/fhir/Patient/{befriended.pk}", **auth).json()
    assert patient["name"][0]["family"] == "Pennington" and "identifier" not in patient
    assert "Key safe" in json.dumps(patient["address"])
    for resource in ("CarePlan", "CareTeam", "Encounter", "Appointment"):
        response = client.get(f"/fhir/{resource}", {"patient": f"Patient/{befriended.pk}"}, **auth)
        assert response.status_code == 403, resource


def test_a_befriender_does_not_see_the_alliances_caseloads(place):
    person = PatientFactory()
    on_caseload(person, place.nursing)
    consent(person, "share_alliance")
    volunteer = place.users["befriender"]
    assert not decide(volunteer, person).allowed
    assert decide(place.users["social_worker"], person).basis == Basis.ALLIANCE_SHARING


def test_a_befriender_cannot_break_the_glass(place):
    from wraparound.access.permissions import NoAccess
    from wraparound.door import actions

    with pytest.raises(NoAccess):
        actions.break_glass(
            patient_id=PatientFactory().pk,
            reason="I am worried about her, she did not answer",
            by=place.users["befriender"],
        )


def test_who_looked_shows_names_and_organisations(client, place, befriended):
    client.force_login(place.users["befriender"])
    client.get(reverse("caseload:person", args=[befriended.pk]))
    client.force_login(place.users["privacy"])
    page = client.get(
        reverse("access:audit_search"),
        {"nhs_number": befriended.nhs_number, "date_of_birth": befriended.date_of_birth},
    ).content.decode()
    befriender = place.users["befriender"]
    assert befriender.get_full_name() in page and "Age Well Testford" in page
    assert "Volunteer" in page


def test_every_role_is_defined_as_data():
    assert set(ROLES) == set(Role)
    for role, definition in ROLES.items():
        if definition.sections:
            assert Section.NAME in definition.sections, role
        assert definition.relationships <= set(Relationship)
    assert ROLES[Role.VOLUNTEER].sections == {Section.NAME, Section.HOME}
    assert ROLES[Role.CLINICIAN].sections == WHOLE_RECORD


def test_roles_without_the_record_permission_see_no_section(place):
    for who in ("analyst", "privacy", "org_manager"):
        assert sections_for(place.users[who]) == frozenset()


def test_a_befriender_opens_no_clinical_page_about_someone_they_befriend(client, place, befriended):
    from wraparound.caseload.models import Visit

    visit = Visit.objects.create(
        patient=befriended,
        team=place.nursing,
        date=timezone.localdate(),
        window_start=timezone.now(),
        window_end=timezone.now() + dt.timedelta(hours=2),
        duration_minutes=30,
        task="Dressing change, leg ulcer",
    )
    client.force_login(place.users["befriender"])
    for url in (
        reverse("caseload:visit", args=[visit.pk]),
        reverse("caseload:team_caseload"),
        reverse("caseload:advice_worklist"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "leg ulcer" not in response.content.decode()
    client.post(reverse("caseload:write_handover", args=[befriended.pk]), {"text": "Seemed low"})
    assert not befriended.handover_notes.exists()
