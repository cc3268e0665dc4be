"""ServiceRequest over FHIR with a real client: create, read back, search; errors; retries."""

from __future__ import annotations

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from tests.factories import (
    TOKEN_ISSUER,
    PatientFactory,
    build_small_place,
    fhir_subject,
    in_care_team,
)
from wraparound.fhir.actions import issue_token
from wraparound.fhir.service_requests import NEED_SYSTEM, SOURCE_SYSTEM
from wraparound.referrals.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def _client(live_server, username, key=None):
    secret, _ = issue_token(username=username, by=TOKEN_ISSUER)
    headers = {"Idempotency-Key": key} if key else {}
    return SyncFHIRClient(
        f"{live_server.url}/fhir", authorization=f"Bearer {secret}", extra_headers=headers
    )


def _request(person):
    return {
        "status": "active",
        "intent": "order",
        "subject": fhir_subject(person),
        "category": [{"coding": [{"system": SOURCE_SYSTEM, "code": "gp"}]}],
        "reasonCode": [{"coding": [{"system": NEED_SYSTEM, "code": "frailty_decompensation"}]}],
        "note": [{"text": "82, breathless, not managing at home since this morning"}],
    }


@pytest.fixture
def person():
    place = build_small_place()
    edna = PatientFactory(given_name="Edna", family_name="Jones")
    in_care_team(edna, place.practice)  # her GP practice: it sees her record, not by referring
    return edna


def test_a_fhir_client_creates_reads_back_and_searches_a_service_request(live_server, person):
    client = _client(live_server, "gp", key="gp-ref-0001")
    created = client.resource("ServiceRequest", **_request(person))
    created.save()
    assert created["priority"] == "stat"  # triaged 2-hour on arrival
    again = client.reference("ServiceRequest", created["id"]).to_resource()
    assert again["subject"]["reference"] == f"Patient/{person.pk}"
    assert again["reasonCode"][0]["coding"][0]["code"] == "frailty_decompensation"
    found = (
        client.resources("ServiceRequest")
        .search(patient=f"Patient/{person.pk}", status="active", priority="stat")
        .fetch_all()
    )
    assert [r["id"] for r in found] == [created["id"]]
    assert (
        client.resources("ServiceRequest").search(authored="ge2000-01-01").fetch_all()[0]["id"]
        == created["id"]
    )


def test_the_same_request_twice_with_one_idempotency_key_makes_one_referral(live_server, person):
    client = _client(live_server, "gp", key="gp-ref-0002")
    first = client.execute(
        "ServiceRequest", method="post", data={"resourceType": "ServiceRequest", **_request(person)}
    )
    second = client.execute(
        "ServiceRequest", method="post", data={"resourceType": "ServiceRequest", **_request(person)}
    )
    assert first["id"] == second["id"]
    assert Referral.objects.count() == 1


def test_a_malformed_resource_returns_400_naming_the_field(live_server, person):
    client = _client(live_server, "gp", key="gp-ref-0003")
    bad = {**_request(person), "authoredOn": "last tuesday"}
    with pytest.raises(OperationOutcome) as exc:
        client.execute(
            "ServiceRequest", method="post", data={"resourceType": "ServiceRequest", **bad}
        )
    issue = exc.value.resource["issue"][0]
    assert issue["expression"] == ["ServiceRequest.authoredOn"]
    assert Referral.objects.count() == 0


def test_a_request_without_needs_is_refused_naming_reason_code(live_server, person):
    client = _client(live_server, "gp", key="gp-ref-0004")
    bad = {**_request(person), "reasonCode": []}
    with pytest.raises(OperationOutcome) as exc:
        client.execute(
            "ServiceRequest", method="post", data={"resourceType": "ServiceRequest", **bad}
        )
    assert exc.value.resource["issue"][0]["expression"] == ["ServiceRequest.reasonCode"]


def test_a_post_without_an_idempotency_key_is_refused(live_server, person):
    client = _client(live_server, "gp")
    with pytest.raises(OperationOutcome) as exc:
        client.execute(
            "ServiceRequest",
            method="post",
            data={"resourceType": "ServiceRequest", **_request(person)},
        )
    assert exc.value.resource["issue"][0]["expression"] == ["Idempotency-Key"]


def test_an_unrelated_organisation_cannot_read_the_referral(live_server, person):
    created = _client(live_server, "gp", key="gp-ref-0005").execute(
        "ServiceRequest", method="post", data={"resourceType": "ServiceRequest", **_request(person)}
    )
    outsider = _client(live_server, "paramedic")
    with pytest.raises(ResourceNotFound):
        outsider.resources("ServiceRequest").search(patient=f"Patient/{person.pk}").fetch_all()
    with pytest.raises(ResourceNotFound):
        outsider.reference("ServiceRequest", created["id"]).to_resource()
    assert outsider.resources("ServiceRequest").search(status="active").fetch_all() == []
