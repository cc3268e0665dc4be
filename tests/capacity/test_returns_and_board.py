"""The monthly virtual-ward return against a hand count, the board's hours, and the
``wraparound capacity`` command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import NeighbourhoodFactory, PatientFactory
from wraparound.capacity.live import demand_by_hour, next_24_hours, ward_rag
from wraparound.capacity.models import DemandHour, Pathway, WardStay
from wraparound.capacity.returns import monthly_return
from wraparound.directory.models import Service, ServiceType
from wraparound.workforce.models import Shift

LONDON = timezone.get_default_timezone()


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=LONDON)


def test_the_return_counts_occupancy_at_eight_each_morning_as_counted_by_hand(
    capacity, place, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, 0, tzinfo=LONDON))
    frailty = Pathway.objects.get(code="frailty")
    gp = capacity.users["gp_senior"]
    common = {"ward": capacity.ward, "pathway": frailty, "direction": "step_up", "reason": "x"}
    # On the ward at 08:00 on 1..11 November (11 mornings), then 21..30 November (10).
    WardStay.objects.create(
        patient=capacity.patient, admitted_at=_at(1, 7), admitted_by=gp, admitted_by_role="GP",
        out_of_hours_cover="", discharged_at=_at(11, 9), discharged_by=gp, disposition="home",
        **common,
    )  # fmt: skip
    WardStay.objects.create(
        patient=PatientFactory(), admitted_at=_at(20, 10), admitted_by=gp, admitted_by_role="GP",
        out_of_hours_cover="", **common,
    )  # fmt: skip
    # Two adults registered with the place's practice, and a child who is not counted.
    PatientFactory(registered_practice=place.practice)
    PatientFactory(registered_practice=place.practice, date_of_birth=dt.date(2015, 1, 1))
    rows = monthly_return(place.trust.place, 2026, 11)
    ward, total = rows
    assert ward.period == "November 2026" and ward.capacity == 2
    assert ward.occupancy_percent == pytest.approx(100 * (21 / 30) / 2)  # 35.0%
    assert ward.per_100k == pytest.approx(100_000 * 2 / 2)
    assert total.ward == "All virtual wards" and total.capacity == 2


@pytest.mark.parametrize(("free", "rag"), [(0, "red"), (1, "amber"), (2, "amber"), (3, "green")])
def test_a_wards_rag_follows_its_free_places(free, rag):
    assert ward_rag(free, 20) == rag


def _demand(place, calls_each_hour: int, hours: int = 168 * 4):
    neighbourhood = NeighbourhoodFactory(place=place.trust.place, name="North", code="north")
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=hours)
    DemandHour.objects.bulk_create(
        DemandHour(
            service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
            neighbourhood=neighbourhood,
            hour_starting=start + dt.timedelta(hours=h),
            arrivals=calls_each_hour,
        )
        for h in range(hours)
    )


def test_demand_is_the_mean_of_the_weeks_counted_and_an_empty_hour_counts_as_none(capacity, place):
    _demand(place, 2)
    calls, hours = demand_by_hour(place.trust.place, timezone.now())
    assert hours == 168 * 4 and calls == pytest.approx([2.0] * 168)
    second_week = DemandHour.objects.order_by("hour_starting")[168:336].values_list("pk", flat=True)
    DemandHour.objects.filter(pk__in=list(second_week)).delete()  # a quiet week: no rows
    calls, _ = demand_by_hour(place.trust.place, timezone.now())
    assert sum(calls) == pytest.approx(2.0 * 168 * 3 / 4, rel=0.01)


def test_the_board_counts_crews_on_shift_and_those_the_standard_needs(capacity, place):
    _demand(place, 2)
    hours = next_24_hours(place.trust.place)
    assert len(hours) == 24
    # The fixture's crew works all day: one crew, at 2 calls an hour, is short every hour.
    first = hours[0]
    assert first.rostered == 1 and first.required > 1 and first.short == first.required - 1
    assert 0 <= first.predicted_within < 0.7


def test_refresh_writes_crews_on_shift_into_a_live_service(capacity, place):
    ucr = Service.objects.get(name="Urgent Community Response")
    Service.objects.filter(pk=ucr.pk).update(capacity_is_live=True)
    call_command("capacity", "refresh")
    ucr.refresh_from_db()
    assert (ucr.free_slots, ucr.capacity) == (1, "amber") and ucr.capacity_set_at is not None
    Shift.objects.all().delete()
    call_command("capacity", "refresh")
    ucr.refresh_from_db()
    assert (ucr.free_slots, ucr.capacity) == (0, "red")


def test_simulate_refuses_a_rota_with_a_gap_naming_the_row(capacity, place, tmp_path):
    rota = tmp_path / "rota.csv"
    rota.write_text("day,start,end,crews\nMon,00:00,12:00,2\n")
    with pytest.raises(CommandError, match="rota: row 0, hours: Monday 12:00 is in no row"):
        call_command("capacity", "simulate", str(rota))


def test_simulate_runs_a_rota_against_the_places_demand(capacity, place, tmp_path, capsys):
    _demand(place, 1)
    rota = tmp_path / "rota.csv"
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    rota.write_text("day,start,end,crews\n" + "".join(f"{d},00:00,24:00,4\n" for d in days))
    call_command("capacity", "simulate", str(rota), "--replications", "2")
    out = capsys.readouterr().out
    assert "reached within 2 hours" in out and "2 replications of a year" in out
