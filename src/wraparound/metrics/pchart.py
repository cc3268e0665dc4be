"""A p-chart: a proportion per period against 3-sigma limits for each period's own count.

Pure and typed. The centre line is the proportion over all periods; a period's limits are
p̄ ± 3·√(p̄(1 - p̄)/n), held inside 0 to 100%. A point beyond its limits, or part of a shift
(7 on one side of the centre) or a trend (7 rising or falling; ``spc_rules``), is special
cause variation. Used for the Friends and Family Test's % positive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import spc_rules


@dataclass(frozen=True)
class PPoint:
    label: str
    count: int
    successes: int
    percent: float
    lower: float
    upper: float
    outside: bool  # beyond its limits
    in_run: bool  # part of a shift (7 on one side) or a trend (7 rising or falling)


@dataclass(frozen=True)
class PChart:
    centre: float  # % over all the periods
    points: tuple[PPoint, ...]


def p_chart(periods: Sequence[tuple[str, int, int]]) -> PChart | None:
    """(label, count, successes) per period; periods with no count are left out."""
    kept = [(label, n, x) for label, n, x in periods if n > 0]
    if not kept:
        return None
    centre = sum(x for _, _, x in kept) / sum(n for _, n, _ in kept)
    proportions = np.array([x / n for _, n, x in kept], dtype=np.float64)
    sides = spc_rules.side_of_mean(proportions, centre)
    runs = spc_rules.shift(sides) | spc_rules.trend(proportions)
    points = []
    for (label, n, x), p, in_run in zip(kept, proportions, runs, strict=True):
        sigma = math.sqrt(centre * (1 - centre) / n)
        lower, upper = max(0.0, centre - 3 * sigma), min(1.0, centre + 3 * sigma)
        points.append(
            PPoint(
                label,
                n,
                x,
                100 * float(p),
                100 * lower,
                100 * upper,
                bool(p < lower or p > upper),
                bool(in_run),
            )
        )
    return PChart(100 * centre, tuple(points))
