"""Providers in persistent difficulty, and who could help them.

A unit is in persistent difficulty on a metric when, in at least 3 of the last 6 periods,
it sits outside the funnel's 99.8% limit on the wrong side. Buddies are units that were on
the good side of the centre in at least 5 of those 6 periods, never outside on the wrong
side, of similar size (within a factor of 2) and case mix (mean age within 5 years, mean
deprivation decile within 2), nearest first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from .compute import Value, compute
from .funnel import FunnelPlot, Side, proportion_funnel, rate_funnel
from .models import ReportingUnit, TeamMonth
from .registry import Metric, Shape
from .spc import Improvement

WINDOW = 6
FLAG_AT = 3
BUDDY_GOOD_PERIODS = 5
SIZE_FACTOR = 2.0
AGE_GAP = 5.0
DEPRIVATION_GAP = 2.0


@dataclass(frozen=True)
class CaseMix:
    size: float
    mean_age: float
    mean_deprivation: float


@dataclass
class Buddy:
    unit: str
    good_periods: int
    mean_value: float
    case_mix: CaseMix
    distance: float


@dataclass
class Flag:
    unit: str
    metric: Metric
    periods_outside: list[dt.date]
    values: list[tuple[dt.date, float, float]]  # (period, unit's value, the funnel centre)
    case_mix: CaseMix
    buddies: list[Buddy] = field(default_factory=list)


def funnel_for(metric: Metric, values: list[Value]) -> FunnelPlot | None:
    """The funnel of one period's values across units (proportions in %, rates per multiplier)."""
    usable = [v for v in values if v.denominator > 0]
    if len(usable) < 3 or not metric.has_funnel:
        return None
    labels = [v.unit for v in usable]
    if metric.shape == Shape.PROPORTION:
        return proportion_funnel(
            [v.numerator for v in usable], [v.denominator for v in usable], labels
        )
    if sum(v.numerator for v in usable) == 0:
        return None
    return rate_funnel([v.numerator for v in usable], [v.denominator for v in usable], labels)


def _wrong_side(metric: Metric) -> Side:
    return Side.LOW if metric.improvement == Improvement.INCREASE else Side.HIGH


def _by_period(values: list[Value]) -> dict[dt.date, list[Value]]:
    grouped: dict[dt.date, list[Value]] = defaultdict(list)
    for v in values:
        grouped[v.period].append(v)
    return grouped


def case_mix(unit_kind: str) -> dict[str, CaseMix]:
    column = {"team": "team_code", "provider": "provider_code", "place": "place_code"}.get(
        unit_kind
    )
    if column is None:
        return {}
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for code, people, age, deprivation in TeamMonth.objects.values_list(
        column, "caseload_people", "mean_age", "mean_deprivation_decile"
    ):
        s = sums[code]
        s[0] += people
        s[1] += age * people
        s[2] += deprivation * people
        s[3] += 1
    return {
        code: CaseMix(s[0] / s[3], s[1] / s[0], s[2] / s[0]) for code, s in sums.items() if s[0] > 0
    }


def persistent_difficulty(metric: Metric, unit_kind: str = ReportingUnit.Kind.TEAM) -> list[Flag]:
    """Every unit in persistent difficulty on ``metric``, each with suggested buddies."""
    if not metric.has_funnel or metric.improvement == Improvement.NEUTRAL:
        return []
    grouped = _by_period(compute(metric, unit_kind, "month"))
    # The last full periods: the newest month may still be filling up.
    periods = sorted(grouped)[-(WINDOW + 1) : -1]
    funnels = {p: funnel_for(metric, grouped[p]) for p in periods}
    wrong = _wrong_side(metric)
    outside: dict[str, list[dt.date]] = defaultdict(list)
    good: dict[str, int] = defaultdict(int)
    history: dict[str, list[tuple[dt.date, float, float]]] = defaultdict(list)
    ever_wrong: set[str] = set()
    for period, funnel in funnels.items():
        if funnel is None:
            continue
        scale = 100.0 if metric.shape == Shape.PROPORTION else metric.multiplier
        for u in funnel.units:
            history[u.label].append((period, u.value * scale, funnel.centre * scale))
            if u.outside_998 == wrong:
                outside[u.label].append(period)
                ever_wrong.add(u.label)
            better = (
                u.value > funnel.centre
                if metric.improvement == Improvement.INCREASE
                else u.value < funnel.centre
            )
            good[u.label] += int(better)
    mixes = case_mix(unit_kind)
    flags = []
    for unit, periods_out in sorted(outside.items()):
        if len(periods_out) < FLAG_AT or unit not in mixes:
            continue
        flag = Flag(unit, metric, periods_out, history[unit], mixes[unit])
        flag.buddies = _buddies(flag, good, ever_wrong, history, mixes)
        flags.append(flag)
    return flags


def _buddies(
    flag: Flag,
    good: dict[str, int],
    ever_wrong: set[str],
    history: dict[str, list[tuple[dt.date, float, float]]],
    mixes: dict[str, CaseMix],
) -> list[Buddy]:
    mine = flag.case_mix
    found = []
    for unit, count in good.items():
        mix = mixes.get(unit)
        if unit == flag.unit or unit in ever_wrong or count < BUDDY_GOOD_PERIODS or mix is None:
            continue
        if not (1 / SIZE_FACTOR <= mix.size / mine.size <= SIZE_FACTOR):
            continue
        if (
            abs(mix.mean_age - mine.mean_age) > AGE_GAP
            or abs(mix.mean_deprivation - mine.mean_deprivation) > DEPRIVATION_GAP
        ):
            continue
        distance = math.sqrt(
            math.log(mix.size / mine.size) ** 2
            + ((mix.mean_age - mine.mean_age) / AGE_GAP) ** 2
            + ((mix.mean_deprivation - mine.mean_deprivation) / DEPRIVATION_GAP) ** 2
        )
        values = [v for _p, v, _c in history[unit]]
        found.append(Buddy(unit, count, sum(values) / len(values), mix, distance))
    return sorted(found, key=lambda b: (b.distance, b.unit))[:3]
