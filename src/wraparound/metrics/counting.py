"""How each metric is counted: one GROUP BY over the extract per metric, as a plain function.

Each counting function runs one SQL statement, unchanged on SQLite and PostgreSQL (the
extract carries its week and month as dates, so no date functions are needed), and leaves
only per-group arithmetic to Python, with numpy. ``registry`` pairs each metric's meaning
with its counting function, so a metric is defined in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .models import ContactRollup, ContinuityRollup, HospitalDay, ReferralRecord, TeamMonth

REFERRALS = ReferralRecord._meta.db_table
CONTACTS = ContactRollup._meta.db_table
TEAM_MONTHS = TeamMonth._meta.db_table
HOSPITAL_DAYS = HospitalDay._meta.db_table


@dataclass(frozen=True)
class Value:
    """One unit's value for one period, with what it was counted from."""

    unit: str
    period: dt.date
    numerator: float
    denominator: float
    value: float | None


def _rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _as_date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw))


def _window(column: str, since: dt.date | None, until: dt.date | None) -> tuple[str, list[object]]:
    clauses, params = [], []
    if since is not None:
        clauses.append(f"{column} >= %s")
        params.append(since)
    if until is not None:
        clauses.append(f"{column} <= %s")
        params.append(until)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


# unit column, period column, first and last period, multiplier -> one value per unit and period
Count = Callable[[str, str, dt.date | None, dt.date | None, float], list[Value]]


def counts(table: str, where: str, numerator: str, denominator: str) -> Count:
    """A count of ``numerator`` over ``denominator`` in ``table``'s rows that match ``where``,
    scaled by the metric's multiplier (100 for a percentage)."""

    def run(
        unit: str, period: str, since: dt.date | None, until: dt.date | None, multiplier: float
    ) -> list[Value]:
        window, params = _window(period, since, until)
        sql = (
            f"SELECT {unit}, {period}, SUM({numerator}), SUM({denominator}) FROM {table} "
            f"WHERE {where}{window} GROUP BY {unit}, {period} ORDER BY {unit}, {period}"
        )
        out = []
        for u, p, num, den in _rows(sql, params):
            num, den = float(num or 0), float(den or 0)
            out.append(
                Value(str(u), _as_date(p), num, den, num / den * multiplier if den else None)
            )
        return out

    return run


def median_days_to_contact(
    unit: str, period: str, since: dt.date | None, until: dt.date | None, multiplier: float
) -> list[Value]:
    """Routine referrals' median whole days from receipt to first contact."""
    window, params = _window(period, since, until)
    table = REFERRALS
    sql = (
        f"SELECT {unit}, {period}, days_to_first_contact, COUNT(*) FROM {table} "
        f"WHERE urgency = 'routine' AND days_to_first_contact IS NOT NULL{window} "
        f"GROUP BY {unit}, {period}, days_to_first_contact ORDER BY {unit}, {period}, days_to_first_contact"
    )
    rows = _rows(sql, params)
    if not rows:
        return []
    keys = [(str(u), _as_date(p)) for u, p, _d, _n in rows]
    days = np.array([float(d) for _u, _p, d, _n in rows])  # type: ignore[arg-type]
    counts = np.array([int(n) for _u, _p, _d, n in rows])  # type: ignore[call-overload]
    # Group boundaries in the sorted rows, then the median from each group's cumulative counts.
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    ends = [*starts[1:], len(keys)]
    out = []
    for s, e in zip(starts, ends, strict=True):
        c = np.cumsum(counts[s:e])
        total = int(c[-1])
        low = days[s:e][np.searchsorted(c, (total + 1) // 2)]
        high = days[s:e][np.searchsorted(c, total // 2 + 1)]
        out.append(
            Value(
                keys[s][0],
                keys[s][1],
                float((low + high) / 2),
                float(total),
                float((low + high) / 2),
            )
        )
    return out


def continuity_index(
    unit: str, period: str, since: dt.date | None, until: dt.date | None, multiplier: float
) -> list[Value]:
    """The Bice-Boxerman index averaged over people with 3 or more visits."""
    # The rollup keeps its period (month or week) in one column, named by period_kind.
    window, params = _window("period", since, until)
    table = ContinuityRollup._meta.db_table
    sql = (
        f"SELECT {unit}, period, SUM((squares - visits) * 1.0 / (visits * (visits - 1))), COUNT(*) "
        f"FROM {table} WHERE period_kind = %s AND visits >= 3{window} "
        f"GROUP BY {unit}, period ORDER BY {unit}, period"
    )
    out = []
    for u, p, total_index, people in _rows(sql, [period, *params]):
        n = float(people or 0)
        out.append(
            Value(
                str(u),
                _as_date(p),
                float(total_index or 0),
                n,
                float(total_index) / n if n else None,
            )
        )
    return out
