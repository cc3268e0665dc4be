"""Funnel plots (Spiegelhalter 2005) for proportions, standardised ratios and rates.

Each unit (a team, a provider, a place) is compared with the centre line at
its own size: 95% and 99.8% limits narrow as the denominator grows.

- Proportions: centre p0 = sum of numerators / sum of denominators; limits
  either on the arcsine scale, sin^2(asin(sqrt p0) +/- z sqrt(1/(4n) + tau^2))
  as FunnelPlotR does, or Wilson score limits as PHEindicatormethods does
  (the proportions whose Wilson interval just reaches p0).
- Standardised ratios (observed / expected, centre 1) and rates (events /
  exposure, centre = sum events / sum exposure): exact Poisson limits at the
  expected count, as FunnelPlotR; with over-dispersion, square-root-scale
  limits (1 +/- z sqrt(1/(4E) + tau^2))^2.
- Over-dispersion (optional): see `overdispersion`.

A unit is outside a limit when its value is strictly beyond it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from wraparound.metrics import overdispersion, poisson
from wraparound.metrics.overdispersion import Overdispersion
from wraparound.metrics.spc_rules import FloatArray

# The normal quantiles in full: FunnelPlotR writes them as 1.959964 and
# 3.090232; PHEindicatormethods uses qnorm(), and its published Wilson limits
# need the extra digits to agree to 6 decimal places.
Z_95 = 1.959963984540054
"""Two-sided 95% (qnorm(0.975)): the inner funnel."""

Z_998 = 3.090232306167813
"""Two-sided 99.8% (qnorm(0.999)): the outer funnel."""

_CONFIDENCE = {Z_95: 0.95, Z_998: 0.998}


class FunnelKind(StrEnum):
    """What the funnel compares."""

    PROPORTION = "proportion"
    RATIO = "standardised ratio"
    RATE = "rate"


class ProportionMethod(StrEnum):
    """How limits for a proportion are drawn."""

    ARCSINE = "arcsine"
    WILSON = "wilson"


class Side(StrEnum):
    """Which side of the funnel a unit falls outside."""

    HIGH = "high"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class FunnelLimits:
    """The four limits at one denominator (or expected count)."""

    denominator: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


@dataclass(frozen=True, slots=True)
class FunnelUnit:
    """One unit on the funnel, its limits, and which of them it falls outside."""

    label: str
    numerator: float
    denominator: float
    value: float
    limits: FunnelLimits
    outside_95: Side | None
    outside_998: Side | None


@dataclass(frozen=True, slots=True)
class FunnelPlot:
    """A whole funnel: centre line, units, and what is needed to draw the curves."""

    kind: FunnelKind
    centre: float
    units: tuple[FunnelUnit, ...]
    method: ProportionMethod | None
    dispersion: Overdispersion | None

    def limits_at(self, denominator: float) -> FunnelLimits:
        """Limits at any denominator, for drawing the funnel's curves."""
        return _limits(self.kind, self.centre, denominator, self.method, self.dispersion)


def proportion_funnel(
    numerators: Sequence[float],
    denominators: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    method: ProportionMethod = ProportionMethod.ARCSINE,
    adjust_for_overdispersion: bool = False,
) -> FunnelPlot:
    """A funnel of proportions (numerator / denominator) around the pooled proportion.

    Over-dispersion works on the arcsine scale, so it needs the arcsine method.
    """
    numerator, denominator = _counts(numerators, denominators)
    if np.any(numerator > denominator):
        raise ValueError("numerators: a numerator cannot exceed its denominator")
    centre = float(np.sum(numerator) / np.sum(denominator))
    dispersion = None
    if adjust_for_overdispersion:
        if method is not ProportionMethod.ARCSINE:
            raise ValueError("method: over-dispersion adjustment needs the arcsine method")
        errors = 1 / (2 * np.sqrt(denominator))
        spread = np.arcsin(np.sqrt(numerator / denominator)) - math.asin(math.sqrt(centre))
        dispersion = overdispersion.estimate(spread / errors, errors)
    return _plot(FunnelKind.PROPORTION, centre, numerator, denominator, labels, method, dispersion)


def ratio_funnel(
    observed: Sequence[float],
    expected: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    adjust_for_overdispersion: bool = False,
) -> FunnelPlot:
    """A funnel of standardised ratios (observed / expected) around 1."""
    numerator, denominator = _counts(observed, expected)
    dispersion = _ratio_dispersion(numerator, denominator) if adjust_for_overdispersion else None
    return _plot(FunnelKind.RATIO, 1.0, numerator, denominator, labels, None, dispersion)


def rate_funnel(
    events: Sequence[float],
    exposures: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    adjust_for_overdispersion: bool = False,
) -> FunnelPlot:
    """A funnel of rates (events / exposure, e.g. per bed-day) around the pooled rate.

    The limits are those of the standardised ratio with expected = pooled rate x
    exposure, scaled back to a rate.
    """
    numerator, denominator = _counts(events, exposures)
    centre = float(np.sum(numerator) / np.sum(denominator))
    if centre == 0:
        raise ValueError("events: need at least one event to set the centre line")
    dispersion = None
    if adjust_for_overdispersion:
        dispersion = _ratio_dispersion(numerator, centre * denominator)
    return _plot(FunnelKind.RATE, centre, numerator, denominator, labels, None, dispersion)


def arcsine_limits(
    centre: float, denominator: float, z: float, tau2: float = 0.0
) -> tuple[float, float]:
    """Proportion limits on the arcsine scale, kept within [0, 1]."""
    middle = math.asin(math.sqrt(centre))
    half_width = z * math.sqrt(1 / (4 * denominator) + tau2)
    # Past 0 or pi/2 the sine would turn back; FunnelPlotR truncates there too.
    lower = max(0.0, middle - half_width)
    upper = min(math.pi / 2, middle + half_width)
    return math.sin(lower) ** 2, math.sin(upper) ** 2


def wilson_limits(centre: float, denominator: float, z: float) -> tuple[float, float]:
    """The proportions whose Wilson score interval just reaches the centre, kept within [0, 1].

    Equivalent to PHEindicatormethods' sigma_adjustment() (R/Funnels.R): solve
    for p the Wilson bound equation (p0 (1 + z^2/n) - p - z^2/2n)^2 =
    z^2 (p (1 - p) / n + z^2 / 4n^2), a quadratic in p.
    """
    n = denominator
    shifted = centre * (1 + z * z / n) - z * z / (2 * n)
    a = 1 + z * z / n
    b = 2 * shifted + z * z / n
    c = shifted * shifted - z**4 / (4 * n * n)
    root = math.sqrt(max(0.0, b * b - 4 * a * c))
    return max(0.0, (b - root) / (2 * a)), min(1.0, (b + root) / (2 * a))


def square_root_limits(expected: float, z: float, tau2: float) -> tuple[float, float]:
    """Ratio limits on the square-root scale with between-unit variance tau2."""
    half_width = z * math.sqrt(1 / (4 * expected) + tau2)
    return max(0.0, 1 - half_width) ** 2, (1 + half_width) ** 2


def _ratio_dispersion(observed: FloatArray, expected: FloatArray) -> Overdispersion:
    # The square-root scale copes with units that observed nothing, where log does not.
    errors = 1 / (2 * np.sqrt(expected))
    return overdispersion.estimate((np.sqrt(observed / expected) - 1) / errors, errors)


def _limits(
    kind: FunnelKind,
    centre: float,
    denominator: float,
    method: ProportionMethod | None,
    dispersion: Overdispersion | None,
) -> FunnelLimits:
    if denominator <= 0:
        raise ValueError("denominator: must be positive")
    tau2 = dispersion.tau2 if dispersion else 0.0
    pairs = []
    for z in (Z_95, Z_998):
        if kind is FunnelKind.PROPORTION:
            if method is ProportionMethod.WILSON:
                pairs.append(wilson_limits(centre, denominator, z))
            else:
                pairs.append(arcsine_limits(centre, denominator, z, tau2))
            continue
        expected = denominator if kind is FunnelKind.RATIO else centre * denominator
        if tau2 > 0:
            low, high = square_root_limits(expected, z, tau2)
        else:
            # No over-dispersion found: FunnelPlotR falls back to exact Poisson limits.
            low, high = poisson.ratio_limits(expected, _CONFIDENCE[z])
        pairs.append((centre * low, centre * high))
    (lower_95, upper_95), (lower_998, upper_998) = pairs
    return FunnelLimits(denominator, lower_95, upper_95, lower_998, upper_998)


def _plot(
    kind: FunnelKind,
    centre: float,
    numerator: FloatArray,
    denominator: FloatArray,
    labels: Sequence[str] | None,
    method: ProportionMethod | None,
    dispersion: Overdispersion | None,
) -> FunnelPlot:
    names = _labels(labels, len(numerator))
    units = []
    for name, top, bottom in zip(names, numerator.tolist(), denominator.tolist(), strict=True):
        value = top / bottom
        limits = _limits(kind, centre, bottom, method, dispersion)
        units.append(
            FunnelUnit(
                label=name,
                numerator=top,
                denominator=bottom,
                value=value,
                limits=limits,
                outside_95=outside(value, limits.lower_95, limits.upper_95),
                outside_998=outside(value, limits.lower_998, limits.upper_998),
            )
        )
    return FunnelPlot(kind, centre, tuple(units), method, dispersion)


def outside(value: float, lower: float, upper: float) -> Side | None:
    """The side on which a value lies strictly beyond a pair of limits, if it does."""
    if value > upper:
        return Side.HIGH
    if value < lower:
        return Side.LOW
    return None


def _counts(
    numerators: Sequence[float], denominators: Sequence[float]
) -> tuple[FloatArray, FloatArray]:
    numerator = np.asarray(numerators, dtype=np.float64)
    denominator = np.asarray(denominators, dtype=np.float64)
    if numerator.ndim != 1 or len(numerator) == 0:
        raise ValueError("numerators: need at least one unit")
    if numerator.shape != denominator.shape:
        raise ValueError("denominators: need exactly one denominator for each numerator")
    if not (np.all(np.isfinite(numerator)) and np.all(numerator >= 0)):
        raise ValueError("numerators: every numerator must be a finite number, 0 or more")
    if not (np.all(np.isfinite(denominator)) and np.all(denominator > 0)):
        raise ValueError("denominators: every denominator must be a finite number above 0")
    return numerator, denominator


def _labels(labels: Sequence[str] | None, count: int) -> list[str]:
    if labels is None:
        return [str(index + 1) for index in range(count)]
    if len(labels) != count:
        raise ValueError(f"labels: got {len(labels)} labels for {count} units")
    return [str(label) for label in labels]
