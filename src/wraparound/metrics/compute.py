"""Computing a metric for every unit and period: one GROUP BY over the extract.

Each metric is a single SQL statement that runs unchanged on SQLite and PostgreSQL (the
extract carries its week and month as dates, so no date functions are needed). The only
work left to Python is per-group arithmetic on the grouped rows, with numpy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .models import ContactRollup, ContinuityRollup, ReferralRecord, ReportingUnit, TeamMonth
from .registry import Metric, metric

UNIT_COLUMNS = {
    ReportingUnit.Kind.TEAM: "team_code",
    ReportingUnit.Kind.PROVIDER: "provider_code",
    ReportingUnit.Kind.NEIGHBOURHOOD: "neighbourhood_code",
    ReportingUnit.Kind.PLACE: "place_code",
}
PERIODS = ("month", "week")
MONTH_ONLY = {"travel-share", "caseload-per-wte", "emergency-admissions", "continuity-of-carer"}


@dataclass(frozen=True)
class Value:
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


def _counts(
    table: str, where: str, numerator: str, denominator: str, multiplier: float
) -> Callable[..., list[Value]]:
    def run(unit: str, period: str, since: dt.date | None, until: dt.date | None) -> list[Value]:
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


def _median_days(
    unit: str, period: str, since: dt.date | None, until: dt.date | None
) -> list[Value]:
    window, params = _window(period, since, until)
    table = ReferralRecord._meta.db_table
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


def _continuity(
    unit: str, period: str, since: dt.date | None, until: dt.date | None
) -> list[Value]:
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


_REFERRALS = ReferralRecord._meta.db_table
_CONTACTS = ContactRollup._meta.db_table
_MONTHS = TeamMonth._meta.db_table

RUNNERS: dict[str, Callable[..., list[Value]]] = {
    "ucr-2-hour": _counts(
        _REFERRALS,
        "urgency = '2_hour'",
        "CASE WHEN minutes_to_first_contact <= 120 THEN 1 ELSE 0 END",
        "1",
        100.0,
    ),
    "reablement-2-day": _counts(
        _REFERRALS,
        "urgency = '2_day'",
        "CASE WHEN minutes_to_first_contact <= 2880 THEN 1 ELSE 0 END",
        "1",
        100.0,
    ),
    "routine-days-to-contact": _median_days,
    "ping-pong": _counts(_REFERRALS, "1 = 1", "declined_or_redirected", "1", 100.0),
    "visits-as-planned": _counts(
        _CONTACTS,
        "planned",
        "CASE WHEN outcome = 'completed' THEN contacts ELSE 0 END",
        "contacts",
        100.0,
    ),
    "continuity-of-carer": _continuity,
    "travel-share": _counts(
        _MONTHS,
        "planned_paid_minutes IS NOT NULL AND planned_paid_minutes > 0",
        "planned_travel_minutes",
        "planned_paid_minutes",
        100.0,
    ),
    "caseload-per-wte": _counts(
        _MONTHS, "whole_time_equivalents > 0", "caseload_people", "whole_time_equivalents", 1.0
    ),
    "emergency-admissions": _counts(
        _MONTHS, "caseload_people > 0", "emergency_admissions", "caseload_people", 1000.0
    ),
}


def compute(
    code_or_metric: str | Metric,
    unit_kind: str = ReportingUnit.Kind.TEAM,
    period: str = "month",
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[Value]:
    """The metric for every unit of ``unit_kind`` in every ``period`` (between the dates)."""
    m = code_or_metric if isinstance(code_or_metric, Metric) else metric(code_or_metric)
    if unit_kind not in UNIT_COLUMNS:
        raise ValueError(f"unit must be one of {sorted(UNIT_COLUMNS)}, not {unit_kind!r}")
    if period not in PERIODS:
        raise ValueError(f"period must be month or week, not {period!r}")
    if period == "week" and m.code in MONTH_ONLY:
        raise ValueError(f"{m.name} is counted by month only")
    return RUNNERS[m.code](UNIT_COLUMNS[unit_kind], period, since, until)
