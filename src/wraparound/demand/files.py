"""A week's rota and a week's demand as CSV files, read into the 168 hours the models use,
refusing a week with a gap or an overlap (each error names its row and column).

Rota: ``day,start,end,crews`` (Monday..Sunday or Mon..Sun, HH:MM on the hour, end after
start or 24:00): every hour of the week covered by exactly one row.
Demand: ``day,hour,calls`` (hour 0-23, calls a non-negative mean): each hour exactly once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from .profile import HOURS_IN_A_WEEK

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class WeekFileError(ValueError):
    """A row of a rota or demand file that cannot be read, with where."""

    def __init__(self, row: int, column: str, problem: str) -> None:
        self.row, self.column = row, column
        super().__init__(f"row {row}, {column}: {problem}")


def _day(text: str, row: int) -> int:
    word = text.strip().lower()
    for i, day in enumerate(DAYS):
        if word in (day, day[:3]):
            return i
    raise WeekFileError(row, "day", f"'{text}' is not a day of the week")


def _hour(text: str, row: int, column: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or minutes not in ("00", "") or not 0 <= int(hours) <= 24:
        raise WeekFileError(row, column, f"'{text}' is not a time on the hour (HH:00)")
    return int(hours)


def _count(text: str, row: int, column: str, kind: type[int] | type[float]) -> float:
    try:
        value = kind(text.strip())
    except ValueError:
        raise WeekFileError(row, column, f"'{text}' is not a number") from None
    if value < 0:
        raise WeekFileError(row, column, "cannot be negative")
    return value


def _rows(lines: Iterable[str], columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise WeekFileError(1, missing[0], "the header lacks this column")
    for row_number, row in enumerate(reader, start=2):
        yield row_number, {c: (row.get(c) or "") for c in columns}


def _name(hour_of_week: int) -> str:
    return f"{DAYS[hour_of_week // 24].capitalize()} {hour_of_week % 24:02d}:00"


def _gap(filled: list[int | None]) -> None:
    for hour, row in enumerate(filled):
        if row is None:
            raise WeekFileError(0, "hours", f"{_name(hour)} is in no row: the week has a gap")


def read_weekly_rota(lines: Iterable[str]) -> list[int]:
    """Crews on shift in each hour of the week."""
    crews: list[int | None] = [None] * HOURS_IN_A_WEEK
    rows: list[int | None] = [None] * HOURS_IN_A_WEEK
    for number, row in _rows(lines, ("day", "start", "end", "crews")):
        day = _day(row["day"], number)
        start = _hour(row["start"], number, "start")
        end = _hour(row["end"], number, "end")
        if end <= start:
            raise WeekFileError(number, "end", "must be after the start (24:00 for midnight)")
        count = int(_count(row["crews"], number, "crews", int))
        for hour in range(day * 24 + start, day * 24 + end):
            if rows[hour] is not None:
                raise WeekFileError(
                    number, "start", f"{_name(hour)} overlaps row {rows[hour]}: give it once"
                )
            rows[hour], crews[hour] = number, count
    _gap(rows)
    return [c or 0 for c in crews]


def read_weekly_demand(lines: Iterable[str]) -> list[float]:
    """Mean calls in each hour of the week."""
    calls: list[float] = [0.0] * HOURS_IN_A_WEEK
    rows: list[int | None] = [None] * HOURS_IN_A_WEEK
    for number, row in _rows(lines, ("day", "hour", "calls")):
        hour_text = row["hour"].strip()
        if not hour_text.isdigit() or not 0 <= int(hour_text) <= 23:
            raise WeekFileError(number, "hour", f"'{row['hour']}' is not an hour from 0 to 23")
        hour = _day(row["day"], number) * 24 + int(hour_text)
        if rows[hour] is not None:
            raise WeekFileError(number, "hour", f"{_name(hour)} is given in row {rows[hour]} too")
        rows[hour], calls[hour] = number, float(_count(row["calls"], number, "calls", float))
    _gap(rows)
    return calls
