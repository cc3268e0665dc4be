"""The demo place's directory: Wrexford's services, and Mrs Jones's search against them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.demo.test_place import _wipe_place
from tests.directory.conftest import FRIDAY_5PM, MRS_JONES_NEEDS
from tests.factories import PatientFactory
from wraparound.demo import place as demo_place
from wraparound.directory.models import Service
from wraparound.directory.search import eligible_services
from wraparound.organisations.models import Neighbourhood


@pytest.fixture
def wrexford(db):
    demo_place.build_place(seed=1, residents_count=300, today=dt.date(2026, 11, 2))


def test_the_demo_builds_a_realistic_directory_the_same_way_every_time(wrexford):
    services = Service.objects.all()
    assert 35 <= services.count() <= 45
    assert services.filter(is_fallback=True, service_type="emergency_department").count() == 1
    assert services.filter(bookable=False).exists()
    ucr = services.get(name="Urgent Community Response")
    assert ucr.open_24_7 and ucr.offers_two_hour and ucr.dos_service_type_id == 146
    assert ucr.neighbourhoods.count() == 3
    central = services.get(name="Wrexford Central Neighbourhood Nursing")
    assert list(central.neighbourhoods.values_list("code", flat=True)) == ["wrexford-central"]
    assert central.sessions.count() == 5
    assert {"green", "amber", "red"} == set(services.values_list("capacity", flat=True))
    first = _directory_snapshot()
    _wipe_place()
    demo_place.build_place(seed=1, residents_count=300, today=dt.date(2026, 11, 2))
    assert _directory_snapshot() == first


def _directory_snapshot():
    return list(
        Service.objects.order_by("name").values_list(
            "name", "team__code", "capacity", "free_slots", "capacity_set_at"
        )
    )


def test_mrs_jones_in_hillside_is_offered_ucr_by_the_demo_directory(wrexford):
    hillside = Neighbourhood.objects.get(code="hillside")
    mrs_jones = PatientFactory(
        date_of_birth=dt.date(1944, 3, 1),
        neighbourhood=hillside,
        latitude=hillside.centre_latitude,
        longitude=hillside.centre_longitude,
    )
    result = eligible_services(mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    # The urgent response meets all her needs and comes first; services that can answer in
    # 2 hours for part of them follow, each naming what it does not meet.
    first, *others = result.eligible
    assert first.service.name == "Urgent Community Response" and first.unmet == ()
    assert all(m.unmet for m in others)
    excluded = {e.service.name: e.reasons for e in result.excluded}
    assert (
        "does not cover Hillside neighbourhood"
        in excluded["Wrexford Central Neighbourhood Nursing"]
    )
    assert "age 82 is over the upper limit 65" in excluded["Working-Age Reablement (18-65)"]
