"""Referral reasons in SNOMED CT at the front door (issue 11, build 5)."""

from __future__ import annotations

import json

import pytest

from tests.factories import TOKEN_ISSUER, PatientFactory, fhir_subject, in_care_team
from wraparound.fhir.actions import issue_token
from wraparound.referrals.coding import SNOMED_CT, SNOMED_TO_NEED
from wraparound.referrals.models import Referral
from wraparound.referrals.triage import Need


@pytest.fixture
def sender(place):
    person = PatientFactory()
    in_care_team(person, place.practice)
    secret, _ = issue_token(username="gp", by=TOKEN_ISSUER)
    return person, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, auth, person, codings, key="coded-1"):
    body = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "subject": fhir_subject(person),
        "reasonCode": [{"coding": codings}],
        "note": [{"text": "On the floor since the morning, no injury"}],
    }
    return client.post(
        "/fhir/ServiceRequest",
        data=json.dumps(body),
        content_type="application/fhir+json",
        HTTP_IDEMPOTENCY_KEY=key,
        **auth,
    )


def test_a_snomed_fall_is_triaged_2_hour_and_comes_back_coded_both_ways(client, sender):
    person, auth = sender
    response = _post(client, auth, person, [{"system": SNOMED_CT, "code": "1912002"}])
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert referral.needs == ["fall"] and referral.urgency == "2_hour"
    codings = response.json()["reasonCode"][0]["coding"]
    assert {"system": SNOMED_CT, "code": "1912002", "display": "Fall"} in codings
    assert any(c["code"] == "fall" for c in codings)


def test_an_unknown_snomed_code_is_a_422_naming_it_and_nothing_is_stored(client, sender):
    person, auth = sender
    response = _post(client, auth, person, [{"system": SNOMED_CT, "code": "999999999"}])
    assert response.status_code == 422
    issue = response.json()["issue"][0]
    assert (
        issue["expression"] == ["ServiceRequest.reasonCode"] and "999999999" in issue["diagnostics"]
    )
    assert not Referral.objects.exists()


def test_the_needs_and_the_mapping_are_published_as_fhir_terminology(client, sender):
    _person, auth = sender
    system = client.get("/fhir/CodeSystem/presenting-need", **auth).json()
    assert {c["code"] for c in system["concept"]} == set(Need.values)
    mapping = client.get("/fhir/ConceptMap/snomed-to-presenting-need", **auth).json()
    elements = mapping["group"][0]["element"]
    assert {e["code"]: e["target"][0]["code"] for e in elements} == {
        code: str(m.need) for code, m in SNOMED_TO_NEED.items()
    }
    metadata = client.get("/fhir/metadata").json()
    types = {r["type"] for r in metadata["rest"][0]["resource"]}
    assert {"CodeSystem", "ConceptMap"} <= types
