"""Counts of a cohort as rates per 1,000 of a population, with 95% confidence intervals,
small numbers suppressed, and the slope index of inequality across deprivation quintiles.

- The interval is Wilson's score interval for a proportion (as the Office for Health
  Improvement and Disparities' ``PHEindicatormethods`` uses), scaled to per 1,000.
- A count of 1 to 4 is suppressed (shown as "<5", with no rate or interval), so no one is
  identifiable from an aggregate; a count of 0 is shown.
- The slope index of inequality (SII) fits the rate of each quintile against the midpoint of
  its share of the population, ranked from the most deprived (weighted least squares, weights
  the populations), and gives the fitted rate at the most deprived end minus the rate at the
  least deprived end: positive when the most deprived have the higher rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959964
SUPPRESS_BELOW = 5
PER = 1000


@dataclass(frozen=True)
class Rate:
    label: str
    count: int | None  # None when suppressed
    population: int
    per_1000: float | None
    lower: float | None
    upper: float | None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def shown_count(self) -> str:
        return f"<{SUPPRESS_BELOW}" if self.count is None else str(self.count)


def wilson(count: int, population: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for count / population, as proportions."""
    if population <= 0:
        raise ValueError("a rate needs a population of 1 or more")
    if not 0 <= count <= population:
        raise ValueError(f"a count is 0 to the population ({population}), not {count}")
    p = count / population
    centre = p + z * z / (2 * population)
    spread = z * math.sqrt(p * (1 - p) / population + z * z / (4 * population * population))
    scale = 1 + z * z / population
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


def rate(label: str, count: int, population: int) -> Rate:
    """The count as a rate per 1,000 with its interval, or suppressed when 1 to 4."""
    if 0 < count < SUPPRESS_BELOW:
        return Rate(label, None, population, None, None, None)
    if population == 0:
        return Rate(label, count, 0, None, None, None)
    low, high = wilson(count, population)
    return Rate(label, count, population, PER * count / population, PER * low, PER * high)


def slope_index_of_inequality(groups: Sequence[tuple[int, float]]) -> float | None:
    """The SII per 1,000 from (population, rate per 1,000) for each group, most deprived
    first; None when fewer than two groups have people."""
    groups = [(n, r) for n, r in groups if n > 0]
    if len(groups) < 2:
        return None
    total = sum(n for n, _ in groups)
    xs, before = [], 0
    for n, _ in groups:
        xs.append((before + n / 2) / total)
        before += n
    weights = [n / total for n, _ in groups]
    mean_x = sum(w * x for w, x in zip(weights, xs, strict=True))
    mean_y = sum(w * r for w, (_, r) in zip(weights, groups, strict=True))
    spread = sum(w * (x - mean_x) ** 2 for w, x in zip(weights, xs, strict=True))
    if spread == 0:
        return None
    slope = (
        sum(
            w * (x - mean_x) * (r - mean_y)
            for w, x, (_, r) in zip(weights, xs, groups, strict=True)
        )
        / spread
    )
    return -slope  # x runs from the most deprived (0) to the least (1)
