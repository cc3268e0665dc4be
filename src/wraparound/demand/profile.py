"""Demand by hour of the week (and by neighbourhood), from the times referrals arrived, and
the crews each hour needs to meet a response standard.

Times are local (Europe/London) wall-clock times: demand follows the clock people live by,
so 17:00 on a Friday is 17:00 in winter and in summer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .erlang import ResponseStandard, crews_needed

HOURS_IN_A_WEEK = 168


def hour_of_week(when: dt.datetime) -> int:
    """0 is Monday 00:00 to 00:59; 167 is Sunday 23:00 to 23:59 (local wall-clock time)."""
    return when.weekday() * 24 + when.hour


def _weeks_between(first: dt.date, last: dt.date) -> float:
    return ((last - first).days + 1) / 7


def calls_by_hour(arrivals: Iterable[dt.datetime], *, first: dt.date, last: dt.date) -> list[float]:
    """Mean arrivals in each hour of the week over the days from ``first`` to ``last``."""
    weeks = _weeks_between(first, last)
    if weeks <= 0:
        raise ValueError("last: the period must end on or after its first day")
    counts = Counter(hour_of_week(a) for a in arrivals if first <= a.date() <= last)
    return [counts[h] / weeks for h in range(HOURS_IN_A_WEEK)]


def calls_by_neighbourhood_and_hour(
    arrivals: Iterable[tuple[str, dt.datetime]], *, first: dt.date, last: dt.date
) -> dict[str, list[float]]:
    """The same, for each neighbourhood."""
    by_place: dict[str, list[dt.datetime]] = defaultdict(list)
    for neighbourhood, when in arrivals:
        by_place[neighbourhood].append(when)
    return {n: calls_by_hour(times, first=first, last=last) for n, times in by_place.items()}


def crews_by_hour(
    calls: Sequence[float],
    *,
    busy_minutes: float,
    travel_minutes: float,
    target: float,
    within_minutes: float = 120.0,
) -> list[int]:
    """The crews each hour of the week needs for ``target`` of its calls within the clock,
    each hour taken as steady (Erlang C); at least one crew in every hour."""
    if len(calls) != HOURS_IN_A_WEEK:
        raise ValueError("calls: give a rate for each of the week's 168 hours")
    return [
        crews_needed(
            ResponseStandard(max(rate, 1e-6), busy_minutes, travel_minutes, within_minutes),
            target,
        )
        for rate in calls
    ]
