"""Ward stays as FHIR Encounters (class virtual) and live capacity on HealthcareService,
through the Django test client with a bearer token, each resource validated on the way out."""

from __future__ import annotations

from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.healthcareservice import HealthcareService

from tests.factories import TOKEN_ISSUER
from wraparound.capacity import actions
from wraparound.fhir.actions import issue_token


def _get(client, username, url, **params):
    secret, _ = issue_token(username=username, by=TOKEN_ISSUER)
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _stay(capacity):
    stay, _ = actions.admit_to_ward(
        ward_id=capacity.ward.pk,
        patient_id=capacity.patient.pk,
        direction="step_up",
        pathway="frailty",
        reason="Frail and breathless",
        by=capacity.users["gp_senior"],
    )
    return stay


def test_a_virtual_ward_stay_is_an_encounter_of_class_virtual_with_its_disposition(
    client, capacity
):
    stay = _stay(capacity)
    url = f"/fhir/Encounter/ward-stay-{stay.pk}"
    open_stay = Encounter.model_validate(_get(client, "gp_senior", url).json())
    assert open_stay.status == "in-progress" and open_stay.class_fhir.code == "VR"
    actions.discharge_from_ward(
        stay_id=stay.pk,
        disposition="hospital",
        gp_summary="Deteriorated overnight; admitted.",
        medication_changes=[],
        by=capacity.users["gp_senior"],
    )
    ended = Encounter.model_validate(_get(client, "gp_senior", url).json())
    assert ended.status == "finished" and ended.period.end is not None
    assert ended.hospitalization.dischargeDisposition.coding[0].code == "hosp"
    found = _get(client, "gp_senior", "/fhir/Encounter", patient=f"Patient/{capacity.patient.pk}")
    assert f"ward-stay-{stay.pk}" in [e["resource"]["id"] for e in found.json()["entry"]]


def test_an_unrelated_user_gets_not_found_for_a_stay(client, capacity, place):
    stay = _stay(capacity)
    refused = _get(client, "paramedic", f"/fhir/Encounter/ward-stay-{stay.pk}")
    assert (
        refused.status_code == 404 and capacity.patient.family_name not in refused.content.decode()
    )


def test_healthcare_service_says_its_live_capacity(client, capacity):
    _stay(capacity)
    body = _get(client, "nurse", f"/fhir/HealthcareService/{capacity.ward.service_id}").json()
    service = HealthcareService.model_validate(body)
    parts = {e.url: e for e in service.extension[0].extension}
    assert parts["free"].valueUnsignedInt == 1 and parts["live"].valueBoolean is True
    assert "from its census" in service.availabilityExceptions
