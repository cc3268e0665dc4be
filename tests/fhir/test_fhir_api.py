"""The FHIR API through a real FHIR client (fhirpy) against a live server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from tests.factories import (
    TOKEN_ISSUER,
    PatientFactory,
    build_small_place,
    in_care_team,
    on_caseload,
)
from wraparound.access.models import AuditEvent
from wraparound.caseload.models import CarePlan, Intervention, Visit
from wraparound.fhir.actions import issue_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    place = build_small_place()
    person = PatientFactory(given_name="Edith", family_name="Jones")
    on_caseload(person, place.nursing)
    in_care_team(person, place.practice, role="GP")
    today = timezone.localdate()
    plan = CarePlan.objects.create(
        patient=person,
        team=place.nursing,
        title="Wound care",
        starts_on=today,
        review_on=today + dt.timedelta(days=28),
        key_alerts="Key safe 1234",
    )
    intervention = Intervention.objects.create(
        care_plan=plan,
        kind="complex_wound",
        description="Sacral pressure ulcer dressing",
        duration_minutes=45,
        recurrence="every_n_days",
        interval_days=2,
        starts_on=today,
        window_start=dt.time(9),
        window_end=dt.time(12),
    )
    for days, status in ((-2, "completed"), (0, "assigned"), (2, "planned")):
        start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(
            days=days
        )
        Visit.objects.create(
            patient=person,
            team=place.nursing,
            intervention=intervention,
            task="Dressing",
            date=timezone.localdate(start),
            window_start=start,
            window_end=start + dt.timedelta(hours=3),
            duration_minutes=45,
            status=status,
            assigned_to=place.users["nurse"].staff_member,
            finished_at=start + dt.timedelta(hours=1) if status == "completed" else None,
        )
    return place, person, plan


def _client(live_server, username: str) -> SyncFHIRClient:
    secret, _ = issue_token(username=username, by=TOKEN_ISSUER)
    return SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {secret}")


def test_a_fhir_client_reads_a_care_plan_and_the_appointments_of_a_person(live_server, world):
    _place, person, plan = world
    client = _client(live_server, "nurse")
    care_plan = client.reference("CarePlan", str(plan.pk)).to_resource()
    assert care_plan["title"] == "Wound care"
    assert care_plan["subject"]["reference"] == f"Patient/{person.pk}"
    assert "Sacral pressure ulcer dressing" in care_plan["activity"][0]["detail"]["description"]

    appointments = (
        client.resources("Appointment").search(patient=f"Patient/{person.pk}").fetch_all()
    )
    assert [a["status"] for a in appointments] == ["booked", "proposed"]
    encounters = client.resources("Encounter").search(patient=person.pk).fetch_all()
    assert [e["status"] for e in encounters] == ["finished"]
    (team,) = client.resources("CareTeam").search(patient=person.pk).fetch_all()
    assert team["participant"][0]["member"]["identifier"]["value"] == "P81001"


def test_patient_search_by_nhs_number_goes_through_the_access_policy(live_server, world):
    _, person, _ = world
    identifier = f"https://fhir.nhs.uk/Id/nhs-number|{person.nhs_number}"
    (found,) = (
        _client(live_server, "nurse").resources("Patient").search(identifier=identifier).fetch_all()
    )
    assert found["identifier"][0]["value"] == person.nhs_number
    assert (
        _client(live_server, "paramedic")
        .resources("Patient")
        .search(identifier=identifier)
        .fetch_all()
        == []
    )
    assert AuditEvent.objects.filter(purpose="FHIR search Patient").count() == 2


def test_an_unrelated_organisation_gets_not_found_and_an_audited_refusal(live_server, world):
    _, person, plan = world
    client = _client(live_server, "paramedic")
    with pytest.raises(ResourceNotFound):
        client.reference("CarePlan", str(plan.pk)).to_resource()
    with pytest.raises(ResourceNotFound):
        client.resources("Appointment").search(patient=person.pk).fetch_all()
    assert AuditEvent.objects.filter(action="denied", patient_id_at_event=person.pk).count() == 2


def test_a_bad_search_returns_400_with_an_operation_outcome_naming_the_field(live_server, world):
    client = _client(live_server, "nurse")
    with pytest.raises(OperationOutcome) as exc:
        client.resources("Patient").search(
            identifier="https://fhir.nhs.uk/Id/nhs-number|9434765918"
        ).fetch_all()
    issue = exc.value.resource["issue"][0]
    assert issue["code"] == "invalid" and issue["expression"] == ["identifier"]
    assert "should be 9" in issue["diagnostics"]


def test_requests_without_a_valid_token_are_refused(client, db):
    response = client.get("/fhir/Patient/1")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    response = client.get("/fhir/Patient/1", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_the_capability_statement_lists_what_is_supported(client, db):
    statement = client.get("/fhir/metadata").json()
    assert statement["fhirVersion"] == "4.0.1"
    assert {r["type"] for r in statement["rest"][0]["resource"]} >= {
        "Patient",
        "CarePlan",
        "CareTeam",
        "Appointment",
        "Encounter",
    }


def test_the_token_command_prints_a_token_that_works(client, capsys):
    build_small_place()
    call_command("token", "nurse")
    secret = capsys.readouterr().out.strip()
    assert (
        client.get(
            "/fhir/Patient?identifier=9434765919", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 200
    )
