"""The hospital sends a stay as a FHIR Encounter: stored once, updated when it changes,
each bad element named in an OperationOutcome."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fhir.resources.R4B.encounter import Encounter

from tests.factories import TOKEN_ISSUER, OrganisationFactory, PatientFactory, staff
from wraparound.discharge.models import HospitalStay
from wraparound.fhir.actions import issue_token
from wraparound.fhir.hospital_encounters import EXTENSION
from wraparound.organisations.models import OrganisationKind


@pytest.fixture
def ward_clerk(place):
    hospital = OrganisationFactory(ods_code="RHX", kind=OrganisationKind.ACUTE_TRUST)
    staff("ward_clerk", hospital, "clinician")
    secret, _ = issue_token(username="ward_clerk", by=TOKEN_ISSUER)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _encounter(person, **changes) -> dict:
    body = {
        "resourceType": "Encounter",
        "identifier": [{"system": "https://testford-general.example/encounter", "value": "E77"}],
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "contained": [
            {
                "resourceType": "Patient",
                "id": "p",
                "identifier": [
                    {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": person.nhs_number}
                ],
                "birthDate": person.date_of_birth.isoformat(),
            }
        ],
        "subject": {"reference": "#p"},
        "period": {"start": "2026-11-25T10:00:00+00:00"},
        "location": [{"location": {"display": "Ward 7"}}],
    }
    body.update(changes)
    return body


def _post(client, auth, body):
    return client.post(
        "/fhir/Encounter", json.dumps(body), content_type="application/fhir+json", **auth
    )


def test_a_repeated_encounter_changes_nothing_and_a_ready_one_updates_the_stay(client, ward_clerk):
    person = PatientFactory()
    first = _post(client, ward_clerk, _encounter(person))
    assert first.status_code == 201
    stay_id = Encounter.model_validate(first.json()).id
    again = _post(client, ward_clerk, _encounter(person))
    assert again.status_code == 200 and HospitalStay.objects.count() == 1
    today = dt.date.today().isoformat()
    ready = _encounter(
        person,
        extension=[
            {"url": EXTENSION + "ready-since", "valueDate": today},
            {"url": EXTENSION + "pathway", "valueCode": "1"},
        ],
    )
    updated = _post(client, ward_clerk, ready)
    assert updated.status_code == 200 and Encounter.model_validate(updated.json()).id == stay_id
    assert HospitalStay.objects.get().pathway == "1"


def test_a_ready_encounter_without_a_pathway_names_the_extension(client, ward_clerk):
    person = PatientFactory()
    today = dt.date.today().isoformat()
    body = _encounter(person, extension=[{"url": EXTENSION + "ready-since", "valueDate": today}])
    refused = _post(client, ward_clerk, body)
    assert refused.status_code == 400
    issue = refused.json()["issue"][0]
    assert issue["expression"] == [f"Encounter.extension({EXTENSION}pathway)"]
    assert not HospitalStay.objects.exists()


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"identifier": []}, "Encounter.identifier"),
        ({"status": "planned"}, "Encounter.status"),
        ({"status": "finished"}, "Encounter.period.end"),
        ({"subject": {"reference": "Patient/1"}}, "Encounter.subject"),
    ],
)
def test_a_bad_encounter_is_refused_naming_the_element(client, ward_clerk, changes, path):
    refused = _post(client, ward_clerk, _encounter(PatientFactory(), **changes))
    assert refused.status_code in (400, 422)
    assert refused.json()["issue"][0]["expression"] == [path]
    assert not HospitalStay.objects.exists()


def test_a_community_nurse_cannot_send_a_hospitals_stay(client, place):
    secret, _ = issue_token(username="nurse", by=TOKEN_ISSUER)
    refused = _post(
        client, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}, _encounter(PatientFactory())
    )
    assert refused.status_code == 403


def test_the_location_a_post_gives_reads_back_for_the_hospital_and_no_one_else(client, ward_clerk):
    created = _post(client, ward_clerk, _encounter(PatientFactory()))
    location = created.headers["Location"]
    assert "/fhir/Encounter/hospital-stay-" in location
    path = location[location.index("/fhir/") :]
    read = Encounter.model_validate(client.get(path, **ward_clerk).json())
    assert read.identifier[0].value == "E77" and read.status == "in-progress"
    secret, _ = issue_token(username="nurse", by=TOKEN_ISSUER)
    assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404


def _destination(system: str, code: str) -> dict:
    return {"dischargeDisposition": {"coding": [{"system": system, "code": code}]}}


def test_the_uk_core_discharge_destination_is_kept_and_read_back(client, ward_clerk):
    from wraparound.discharge.destinations import SYSTEM

    body = _encounter(PatientFactory(), hospitalization=_destination(SYSTEM, "54"))
    created = Encounter.model_validate(_post(client, ward_clerk, body).json())
    assert HospitalStay.objects.get().discharge_destination == "54"
    (coding,) = created.hospitalization.dischargeDisposition.coding
    assert coding.system == SYSTEM and coding.code == "54"
    assert coding.display == "NHS run care home"


@pytest.mark.parametrize(
    "system",
    [
        "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestinationEngland",
        "http://terminology.hl7.org/CodeSystem/discharge-disposition",
    ],
)
def test_a_destination_outside_the_code_system_is_refused_naming_it(client, ward_clerk, system):
    body = _encounter(PatientFactory(), hospitalization=_destination(system, "23"))
    refused = _post(client, ward_clerk, body)
    assert refused.status_code in (400, 422)
    assert refused.json()["issue"][0]["expression"] == [
        "Encounter.hospitalization.dischargeDisposition"
    ]
    assert not HospitalStay.objects.exists()
