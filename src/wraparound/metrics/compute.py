"""Computing a metric for every unit and period, by the counting its definition names."""

from __future__ import annotations

import datetime as dt

from .counting import Value
from .models import ReportingUnit
from .registry import Metric, metric

__all__ = ["UNIT_COLUMNS", "Value", "compute"]

UNIT_COLUMNS = {
    ReportingUnit.Kind.TEAM: "team_code",
    ReportingUnit.Kind.PROVIDER: "provider_code",
    ReportingUnit.Kind.NEIGHBOURHOOD: "neighbourhood_code",
    ReportingUnit.Kind.PLACE: "place_code",
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
    if period not in ("month", "week"):
        raise ValueError(f"period must be month or week, not {period!r}")
    if period not in m.periods:
        raise ValueError(f"{m.name} is counted by month only")
    return m.count(UNIT_COLUMNS[unit_kind], period, since, until, m.multiplier)
