"""HealthcareService over FHIR with a real client: read and search by type and area."""

from __future__ import annotations

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

from tests.factories import TOKEN_ISSUER, NeighbourhoodFactory, build_small_place
from tests.factories.directory import WEEKDAYS, make_service, weekly
from wraparound.fhir.actions import issue_token

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fhir_client_reads_and_searches_the_directory(live_server):
    place = build_small_place()
    hillside = NeighbourhoodFactory(name="Hillside", code="hillside")
    ucr = make_service(
        place.ucr,
        needs=["fall"],
        name="Urgent Community Response",
        service_type="urgent_community_response",
        neighbourhoods=[hillside],
        offers_two_hour=True,
    )
    make_service(
        place.nursing,
        needs=["wound_care"],
        name="Weekday Nursing",
        sessions=weekly(WEEKDAYS, "08:00", "17:00"),
    )
    secret, _ = issue_token(username="nurse", by=TOKEN_ISSUER)
    client = SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {secret}")

    found = (
        client.resources("HealthcareService")
        .search(type="urgent_community_response", location="hillside")
        .fetch_all()
    )
    assert [s["name"] for s in found] == ["Urgent Community Response"]
    assert found[0]["type"][0]["coding"][0]["code"] == "146"  # the DoS service type id for UCR
    nursing = client.resources("HealthcareService").search(name="Weekday").fetch_all()[0]
    assert nursing["availableTime"][0]["daysOfWeek"] == ["mon"]
    assert nursing["availableTime"][0]["availableEndTime"] == "17:00:00"
    assert (
        client.reference("HealthcareService", str(ucr.pk)).to_resource()["providedBy"][
            "identifier"
        ]["value"]
        == "RTR"
    )
    with pytest.raises(ResourceNotFound):
        client.reference("HealthcareService", "999999").to_resource()
