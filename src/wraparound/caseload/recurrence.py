"""When a care-plan intervention falls due: pure date arithmetic, no database.

Windows are local wall-clock times in Europe/London turned into aware datetimes for the
day, so that 07:30 is 07:30 on the day the clocks change too (zoneinfo applies the day's
offset). A window that falls in the hour skipped in spring is moved past the gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Schedule:
    recurrence: str  # daily | weekdays | every_n_days | once
    starts_on: dt.date
    ends_on: dt.date | None = None
    weekdays: Sequence[int] = ()  # ISO: 1 = Monday ... 7 = Sunday
    interval_days: int | None = None


def occurs_on(schedule: Schedule, day: dt.date) -> bool:
    """Whether the intervention is due on ``day``."""
    if day < schedule.starts_on:
        return False
    if schedule.ends_on is not None and day > schedule.ends_on:
        return False
    if schedule.recurrence == "daily":
        return True
    if schedule.recurrence == "weekdays":
        return day.isoweekday() in schedule.weekdays
    if schedule.recurrence == "every_n_days":
        interval = schedule.interval_days or 1
        return (day - schedule.starts_on).days % interval == 0
    if schedule.recurrence == "once":
        return day == schedule.starts_on
    raise ValueError(f"unknown recurrence {schedule.recurrence!r}")


def local_moment(day: dt.date, time: dt.time, tz: ZoneInfo = LONDON) -> dt.datetime:
    """``time`` on ``day`` in ``tz`` as an aware datetime; a time in a spring-forward gap moves on."""
    naive = dt.datetime.combine(day, time)
    aware = naive.replace(tzinfo=tz)
    # A non-existent local time does not survive a round trip through UTC.
    round_trip = aware.astimezone(dt.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        return round_trip
    return aware


def window_on(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """The window's two moments, in UTC: arithmetic on two datetimes sharing a ZoneInfo is
    wall-clock arithmetic in Python, which is wrong across a clock change."""
    return local_moment(day, start).astimezone(dt.UTC), local_moment(day, end).astimezone(dt.UTC)
