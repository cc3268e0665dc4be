"""Opening times: whether a service is open in the window an urgency sets, in words when not.

Pure Python. Times are local to Europe/London; every instant is compared in UTC, so a session
on a clock-change day is as long as it really is (aware datetimes that share a tzinfo compare
by wall clock in Python, which would be wrong by an hour).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
CLOSING_MARGIN = dt.timedelta(minutes=30)  # as DoS: not closing within 30 minutes
BANK_HOLIDAY = 7
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class BankHolidays(Protocol):
    """The days that take a service's bank-holiday hours: anything that answers ``day in``
    and can key a cache (a frozenset of dates in tests, ENGLAND_BANK_HOLIDAYS otherwise)."""

    def __contains__(self, day: object, /) -> bool: ...

    def __hash__(self) -> int: ...


@cache
def _bank_holidays_in(year: int) -> frozenset[dt.date]:
    # Bank holidays are weekdays: when Christmas falls on a Saturday the holiday is the
    # substitute Monday (or Tuesday), and the Saturday keeps its Saturday hours, as gov.uk lists
    # them. The package lists both the day itself and the substitute ("observed").
    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in found if day.weekday() < 5)


class EnglandBankHolidays:
    """England and Wales bank holidays for any year, from the maintained ``holidays`` package
    (one-off days such as a coronation included), so no table runs out. A container of dates."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and day in _bank_holidays_in(day.year)


ENGLAND_BANK_HOLIDAYS: BankHolidays = EnglandBankHolidays()


@dataclass(frozen=True)
class WeeklySession:
    """Open on ``day`` (0 Monday .. 6 Sunday, 7 bank holidays); ``closes <= opens`` runs overnight."""

    day: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class DateHours:
    """Hours on one date, replacing the weekly pattern; ``opens is None`` means closed all day."""

    date: dt.date
    opens: dt.time | None = None
    closes: dt.time | None = None


@dataclass(frozen=True)
class OpeningHours:
    always_open: bool = False
    weekly: tuple[WeeklySession, ...] = ()
    dates: tuple[DateHours, ...] = ()

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # Hashed once: the opening-time cache looks each pattern up for every service.
        return hash((self.always_open, self.weekly, self.dates))

    @cached_property
    def by_day(self) -> dict[int, list[WeeklySession]]:
        found: dict[int, list[WeeklySession]] = {}
        for session in sorted(self.weekly, key=lambda s: s.opens):
            found.setdefault(session.day, []).append(session)
        return found

    @cached_property
    def by_date(self) -> dict[dt.date, list[DateHours]]:
        found: dict[dt.date, list[DateHours]] = {}
        for hours in sorted(self.dates, key=lambda d: d.opens or dt.time(0)):
            found.setdefault(hours.date, []).append(hours)
        return found


@dataclass(frozen=True)
class Interval:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    closes: dt.time  # local wall-clock closing time, for words
    on: str  # "on Fridays", "on bank holidays", "on 24 December 2026"


@lru_cache(maxsize=8192)
def _instant(day: dt.date, at: dt.time) -> dt.datetime:
    """A local wall-clock time on a day, as a UTC instant (a time skipped in spring maps forward)."""
    return dt.datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def _interval(day: dt.date, opens: dt.time, closes: dt.time, on: str) -> Interval:
    end_day = day if closes > opens else day + dt.timedelta(days=1)
    return Interval(_instant(day, opens), _instant(end_day, closes), closes, on)


def _date_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def day_plan(
    hours: OpeningHours, day: dt.date, bank_holidays: BankHolidays
) -> tuple[list[Interval], str]:
    """The sessions that start on a local day, and how that day's hours are named."""
    specified = hours.by_date.get(day)
    if specified:
        on = f"on {_date_words(day)}"
        return [
            _interval(day, d.opens, d.closes, on)
            for d in specified
            if d.opens is not None and d.closes is not None
        ], on
    if day in bank_holidays:
        on = "on bank holidays"
        key = BANK_HOLIDAY
    else:
        key = day.weekday()
        on = f"on {DAY_NAMES[key]}s"
    return [_interval(day, s.opens, s.closes, on) for s in hours.by_day.get(key, ())], on


def _intervals(
    hours: OpeningHours, first: dt.date, last: dt.date, bank_holidays: BankHolidays
) -> Iterator[Interval]:
    """Sessions starting on ``first`` to ``last``, in order of opening (a day's come before the next's)."""
    day = first
    while day <= last:
        yield from day_plan(hours, day, bank_holidays)[0]
        day += dt.timedelta(days=1)


def _open_until(intervals: list[Interval], current: Interval) -> dt.datetime:
    """When the service really closes: sessions that run on into one another count as one."""
    end = current.end
    for i in intervals:
        if i.start <= end < i.end:
            end = i.end
    return end


def _when_words(at: dt.datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{DAY_NAMES[local.weekday()]} {local.day} {local:%B} at {local:%H:%M}"


def _next_opening(hours: OpeningHours, after: dt.datetime, bank_holidays: BankHolidays) -> str:
    today = after.astimezone(LONDON).date()
    for i in _intervals(hours, today, today + dt.timedelta(days=8), bank_holidays):
        if i.start > after and i.end - i.start > CLOSING_MARGIN:
            return f"; next open {_when_words(i.start)}"
    return ""


def closed_reason(
    hours: OpeningHours,
    when: dt.datetime,
    window: dt.timedelta = dt.timedelta(0),
    bank_holidays: BankHolidays = ENGLAND_BANK_HOLIDAYS,
) -> str | None:
    """None when the service can respond in the window; otherwise why not, in words.

    A zero window (a 2-hour response) needs the service open at ``when`` and not closing within
    30 minutes. A longer window needs a session with 30 minutes or more left inside it.
    """
    if hours.always_open:
        return None
    return _closed_reason(hours, when, window, bank_holidays)


# Services share a few patterns (weekdays 08:00-18:00...): one search asks each once.
@lru_cache(maxsize=4096)
def _closed_reason(
    hours: OpeningHours,
    when: dt.datetime,
    window: dt.timedelta,
    bank_holidays: BankHolidays,
) -> str | None:
    if when.tzinfo is None:
        raise ValueError("when must be an aware datetime")
    now = when.astimezone(UTC)
    today = now.astimezone(LONDON).date()
    yesterday = today - dt.timedelta(days=1)
    if window > dt.timedelta(0):
        last = (now + window).astimezone(LONDON).date()
        return _window_reason(hours, now, window, yesterday, last, bank_holidays)
    intervals = list(_intervals(hours, yesterday, today + dt.timedelta(days=1), bank_holidays))
    return _now_reason(hours, intervals, now, today, bank_holidays)


def _window_reason(
    hours: OpeningHours,
    now: dt.datetime,
    window: dt.timedelta,
    first: dt.date,
    last: dt.date,
    bank_holidays: BankHolidays,
) -> str | None:
    for i in _intervals(hours, first, last, bank_holidays):
        if i.start >= now + window:
            break
        if i.end - max(i.start, now) >= CLOSING_MARGIN:
            return None
    hours_ = int(window.total_seconds() // 3600)
    span = f"{hours_ // 24} days" if hours_ % 24 == 0 else f"{hours_} hours"
    return f"not open in the next {span}{_next_opening(hours, now, bank_holidays)}"


def _now_reason(
    hours: OpeningHours,
    intervals: list[Interval],
    now: dt.datetime,
    today: dt.date,
    bank_holidays: BankHolidays,
) -> str | None:
    current = [i for i in intervals if i.start <= now < i.end]
    if current:
        latest = max(current, key=lambda i: i.end)
        if _open_until(intervals, latest) - now >= CLOSING_MARGIN:
            return None
        return f"closes at {latest.closes:%H:%M} {latest.on}, within 30 minutes"
    after = _next_opening(hours, now, bank_holidays)
    todays, on = day_plan(hours, today, bank_holidays)
    ended = [i for i in todays if i.end <= now]
    if ended:
        last = max(ended, key=lambda i: i.end)
        return f"closed now: closes at {last.closes:%H:%M} {last.on}{after}"
    if todays:
        first = min(todays, key=lambda i: i.start)
        opens = first.start.astimezone(LONDON)
        return f"closed now: opens at {opens:%H:%M} {first.on}{after}"
    return f"closed {on}{after}"
