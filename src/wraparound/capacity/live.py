"""What the capacity board reads: the next 24 hours of urgent-response crews rostered
against the crews demand needs, and each ward's census against what a ward of its size can
reach. The queueing lives in ``wraparound.demand`` (pure); this module only feeds it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from wraparound.demand.erlang import ResponseStandard, crews_needed, reachable_occupancy
from wraparound.demand.erlang import within_standard as share_within
from wraparound.demand.profile import HOURS_IN_A_WEEK, hour_of_week
from wraparound.directory.models import ServiceType
from wraparound.organisations.models import Place

from .dispatch import shifts_between, urgent_response_services
from .models import DemandHour, Ward

# The 2-hour standard: at least 70% of 2-hour referrals reached within 2 hours.
TARGET_WITHIN = 0.70
# A crew's time on a 2-hour call (out, with the person, back) and the travel inside the
# clock. Measured from a place's own visits when it has them; these are the demo's.
BUSY_MINUTES = 90.0
TRAVEL_MINUTES = 25.0
DEMAND_WEEKS = 52


def ward_rag(free: int, places: int) -> str:
    """Red when full, amber with a tenth or less of the places free, green otherwise."""
    if free <= 0:
        return "red"
    return "amber" if free <= max(1, places // 10) else "green"


@dataclass(frozen=True)
class HourAhead:
    starts_at: dt.datetime
    calls: float  # expected 2-hour referrals in the hour
    rostered: int
    required: int
    predicted_within: float  # share reached within 2 hours with the crews rostered

    @property
    def short(self) -> int:
        return max(0, self.required - self.rostered)


def demand_by_hour(
    place: Place, now: dt.datetime, *, weeks: int = DEMAND_WEEKS
) -> tuple[list[float], int]:
    """Mean urgent-response arrivals in each hour of the week over the last ``weeks`` (or
    since counting began, if later), and the number of hours of history they come from.

    An hour with no row had no calls: rows are written only for hours with arrivals.
    """
    since = now - dt.timedelta(weeks=weeks)
    rows = DemandHour.objects.filter(
        service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
        neighbourhood__place=place,
        hour_starting__gte=since,
        hour_starting__lt=now,
    )
    first = rows.order_by("hour_starting").values_list("hour_starting", flat=True).first()
    if first is None:
        return [0.0] * HOURS_IN_A_WEEK, 0
    hours = int((now - first).total_seconds() // 3600)
    totals = [0.0] * HOURS_IN_A_WEEK
    for starting, arrivals in rows.values_list("hour_starting", "arrivals"):
        totals[hour_of_week(timezone.localtime(starting))] += arrivals
    observed_weeks = max(1.0, hours / HOURS_IN_A_WEEK)
    return [t / observed_weeks for t in totals], hours


def _rostered(place: Place, start: dt.datetime, hours: int) -> list[int]:
    """Crews on shift at the middle of each hour from ``start``."""
    teams = set(
        urgent_response_services().filter(provider__place=place).values_list("team_id", flat=True)
    )
    end = start + dt.timedelta(hours=hours)
    on: dict[int, set[int]] = defaultdict(set)
    tz = timezone.get_current_timezone()
    for shift in shifts_between(teams, start, end):
        begins = dt.datetime.combine(shift.date, shift.starts_at, tz)
        ends = dt.datetime.combine(shift.date, shift.ends_at, tz)
        for i in range(hours):
            middle = start + dt.timedelta(hours=i, minutes=30)
            if begins <= middle < ends:
                on[i].add(shift.staff_id)
    return [len(on[i]) for i in range(hours)]


def next_24_hours(place: Place, now: dt.datetime | None = None) -> list[HourAhead]:
    """Each of the next 24 clock hours: calls expected, crews rostered and required, and
    the share of calls a crew reaches within 2 hours (Erlang C with travel in the clock)."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    calls, _ = demand_by_hour(place, start)
    rostered = _rostered(place, start, 24)
    hours = []
    for i in range(24):
        starts = timezone.localtime(start + dt.timedelta(hours=i))
        rate = max(calls[hour_of_week(starts)], 1e-6)
        standard = ResponseStandard(rate, BUSY_MINUTES, TRAVEL_MINUTES)
        crews = rostered[i]
        hours.append(
            HourAhead(
                starts_at=starts,
                calls=rate,
                rostered=crews,
                required=crews_needed(standard, TARGET_WITHIN),
                predicted_within=share_within(crews, standard) if crews else 0.0,
            )
        )
    return hours


@dataclass(frozen=True)
class WardNow:
    ward: Ward
    census: int
    places: int
    occupancy: float
    reachable: float  # the highest occupancy a ward this size runs at its turn-away target
    as_of: dt.datetime | None
    stale: bool

    @property
    def free(self) -> int:
        return self.places - self.census


def wards_now(place: Place, now: dt.datetime | None = None) -> list[WardNow]:
    now = now or timezone.now()
    wards = Ward.objects.filter(service__provider__place=place).select_related("service")
    shown = []
    for ward in wards:
        stale_after = dt.timedelta(minutes=ward.service.capacity_stale_after_minutes)
        as_of = ward.service.capacity_set_at
        shown.append(
            WardNow(
                ward=ward,
                census=ward.census,
                places=ward.places,
                occupancy=ward.occupancy,
                reachable=reachable_occupancy(ward.places, ward.turn_away_percent / 100),
                as_of=as_of,
                stale=as_of is None or now - as_of > stale_after,
            )
        )
    return shown


def reachable_curve(turn_away: float, largest: int) -> list[tuple[int, float]]:
    """(places, reachable occupancy) for wards from 1 place to ``largest``."""
    return [(p, reachable_occupancy(p, turn_away)) for p in range(1, largest + 1)]
