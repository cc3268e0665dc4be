"""XmR (individuals) charts in the NHS "Making Data Count" style.

The rules follow NHS England's Making Data Count guidance as implemented and
tested by NHSRplotthedots (nhs-r-community/NHSRplotthedots, R/ptd_spc_standard.R,
R/ptd_calculate_point_type.R, R/ptd_calculate_assurance_type.R):

- centre = mean; process limits = mean +/- 2.66 x mean moving range;
- a change marked at a point starts a new segment with its own mean and limits;
  no rule runs across a change;
- optional moving-range screening: ranges >= 3.267 x the mean moving range are
  left out before the mean moving range is recomputed (off by default, like
  NHS England's spreadsheet tool; NHSRplotthedots screens by default);
- special cause, in order of precedence: outside the limits, trend, two of
  three near a limit, shift (see `spc_rules`);
- the point type follows the special cause: above the mean, near or beyond
  the upper limit, or a rising trend is "high"; with a direction of
  improvement, high is improvement when higher is better and concern when
  lower is better;
- the variation icon is the last point's type; the assurance icon compares the
  target with the last point's limits;
- a segment with fewer than 12 points has trial limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from wraparound.metrics import spc_rules
from wraparound.metrics.spc_rules import FloatArray

LIMIT_SCALE = 2.66
"""Process limits sit this many mean moving ranges from the mean (3 sigma for n=2)."""

NEAR_LIMIT_SCALE = 2 * LIMIT_SCALE / 3
"""'Two of three' looks at points beyond 2/3 of the way from the mean to a limit."""

MOVING_RANGE_SCREEN = 3.267
"""Upper range limit for n=2: moving ranges at or above this x mean are screened out."""

TRIAL_LIMIT_POINTS = 12
"""Fewer points than this in a segment: its limits are trial limits."""


class Improvement(StrEnum):
    """Which direction of change is good for this measure."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class SpecialCause(StrEnum):
    """The rule that makes a point special cause (the first that applies, by precedence)."""

    ABOVE_UPPER_LIMIT = "above upper process limit"
    BELOW_LOWER_LIMIT = "below lower process limit"
    TREND_INCREASING = "7 point trend (increasing)"
    TREND_DECREASING = "7 point trend (decreasing)"
    TWO_IN_THREE_HIGH = "2 of 3 points near upper process limit"
    TWO_IN_THREE_LOW = "2 of 3 points near lower process limit"
    SHIFT_ABOVE = "7 or more points above the mean"
    SHIFT_BELOW = "7 or more points below the mean"

    @property
    def is_high(self) -> bool:
        """True when the pattern points upwards (above the mean or rising)."""
        return self in _HIGH_CAUSES


_HIGH_CAUSES = frozenset(
    {
        SpecialCause.ABOVE_UPPER_LIMIT,
        SpecialCause.TREND_INCREASING,
        SpecialCause.TWO_IN_THREE_HIGH,
        SpecialCause.SHIFT_ABOVE,
    }
)


class PointType(StrEnum):
    """How a point is shown: the colour of its dot and, for the last point, the variation icon."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "special_cause_improvement"
    CONCERN = "special_cause_concern"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"


class Assurance(StrEnum):
    """Whether the process, as it stands, will meet the target."""

    CONSISTENTLY_PASSES = "consistent_pass"
    CONSISTENTLY_FAILS = "consistent_fail"
    HIT_AND_MISS = "inconsistent"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of points that share one mean and one pair of process limits."""

    start: int
    stop: int
    mean: float
    mean_moving_range: float
    lower_limit: float
    upper_limit: float

    @property
    def size(self) -> int:
        return self.stop - self.start

    @property
    def trial_limits(self) -> bool:
        return self.size < TRIAL_LIMIT_POINTS

    @property
    def near_lower_limit(self) -> float:
        """Two thirds of the way from the mean to the lower limit."""
        return self.mean - NEAR_LIMIT_SCALE * self.mean_moving_range

    @property
    def near_upper_limit(self) -> float:
        """Two thirds of the way from the mean to the upper limit."""
        return self.mean + NEAR_LIMIT_SCALE * self.mean_moving_range

    @property
    def moving_range_upper_limit(self) -> float:
        """Upper limit of the companion moving-range (mR) chart."""
        return MOVING_RANGE_SCREEN * self.mean_moving_range


@dataclass(frozen=True, slots=True)
class XmRPoint:
    """One plotted value with its limits and every rule that flags it."""

    label: str
    value: float
    moving_range: float | None
    mean: float
    lower_limit: float
    upper_limit: float
    outside_limits: bool
    trend: bool
    two_in_three: bool
    shift: bool
    special_cause: SpecialCause | None
    point_type: PointType


@dataclass(frozen=True, slots=True)
class XmRChart:
    """An XmR chart: every point, the segments, and the two icons' states."""

    points: tuple[XmRPoint, ...]
    segments: tuple[Segment, ...]
    improvement: Improvement
    target: float | None
    screen_moving_ranges: bool

    @property
    def variation(self) -> PointType:
        """The variation icon: the type of the most recent point."""
        return self.points[-1].point_type

    @property
    def assurance(self) -> Assurance | None:
        """The assurance icon, or None without a target or a direction of improvement."""
        return assurance(self.segments[-1], self.target, self.improvement)

    @property
    def trial_limits(self) -> bool:
        """True when any segment has fewer than 12 points."""
        return any(segment.trial_limits for segment in self.segments)


def xmr_chart(
    values: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    improvement: Improvement = Improvement.NEUTRAL,
    target: float | None = None,
    changes: Sequence[int] = (),
    screen_moving_ranges: bool = False,
) -> XmRChart:
    """Build an XmR chart from values in time order.

    `changes` are indices of points where the process changed: limits are
    recalculated from each such point. Every segment needs at least 2 points.
    Raises ValueError naming the argument when the input cannot be charted.
    """
    data = np.asarray(values, dtype=np.float64)
    names = _labels(labels, len(data))
    if data.ndim != 1 or len(data) < 2:
        raise ValueError("values: need at least 2 values in time order")
    if not np.all(np.isfinite(data)):
        raise ValueError("values: every value must be a finite number")
    if target is not None and not np.isfinite(target):
        raise ValueError("target: must be a finite number")
    direction = Improvement(improvement)
    segments = tuple(
        process_limits(data[start:stop], start=start, screen_moving_ranges=screen_moving_ranges)
        for start, stop in _segment_bounds(changes, len(data))
    )
    points = tuple(
        point for segment in segments for point in _classify(data, names, segment, direction)
    )
    return XmRChart(points, segments, direction, target, screen_moving_ranges)


def process_limits(
    values: FloatArray, *, start: int = 0, screen_moving_ranges: bool = False
) -> Segment:
    """Mean and process limits for one segment of at least 2 values."""
    moving_ranges = np.abs(np.diff(values))
    mean_moving_range = float(np.mean(moving_ranges))
    if screen_moving_ranges and mean_moving_range > 0:
        kept = moving_ranges[moving_ranges < MOVING_RANGE_SCREEN * mean_moving_range]
        mean_moving_range = float(np.mean(kept))
    mean = _mean(values)
    spread = LIMIT_SCALE * mean_moving_range
    return Segment(
        start=start,
        stop=start + len(values),
        mean=mean,
        mean_moving_range=mean_moving_range,
        lower_limit=mean - spread,
        upper_limit=mean + spread,
    )


def _mean(values: FloatArray) -> float:
    """The mean, refined by a second pass as R's mean() does.

    A plain floating-point mean of a constant series can miss the constant by
    an ulp, which would put every point on one side of the "mean" and call a
    flat line a shift.
    """
    first = math.fsum(values) / len(values)
    return first + math.fsum(values - first) / len(values)


def assurance(segment: Segment, target: float | None, improvement: Improvement) -> Assurance | None:
    """Compare a target with a segment's limits: outside them, the process passes or fails every time."""
    if target is None or improvement is Improvement.NEUTRAL:
        return None
    higher_is_better = improvement is Improvement.INCREASE
    if target > segment.upper_limit:
        return Assurance.CONSISTENTLY_FAILS if higher_is_better else Assurance.CONSISTENTLY_PASSES
    if target < segment.lower_limit:
        return Assurance.CONSISTENTLY_PASSES if higher_is_better else Assurance.CONSISTENTLY_FAILS
    return Assurance.HIT_AND_MISS


def point_type(cause: SpecialCause | None, improvement: Improvement) -> PointType:
    """The type (colour) of a point given its special cause and the direction of improvement."""
    if cause is None:
        return PointType.COMMON_CAUSE
    if improvement is Improvement.NEUTRAL:
        return PointType.NEUTRAL_HIGH if cause.is_high else PointType.NEUTRAL_LOW
    good_is_high = improvement is Improvement.INCREASE
    return PointType.IMPROVEMENT if cause.is_high == good_is_high else PointType.CONCERN


def _labels(labels: Sequence[str] | None, count: int) -> list[str]:
    if labels is None:
        return [str(index + 1) for index in range(count)]
    if len(labels) != count:
        raise ValueError(f"labels: got {len(labels)} labels for {count} values")
    return [str(label) for label in labels]


def _segment_bounds(changes: Sequence[int], count: int) -> list[tuple[int, int]]:
    starts = sorted({0, *changes})
    if any(not 0 <= start < count for start in starts):
        raise ValueError(f"changes: each change must be an index from 1 to {count - 1}")
    bounds = list(zip(starts, [*starts[1:], count], strict=True))
    if any(stop - start < 2 for start, stop in bounds):
        raise ValueError("changes: every segment needs at least 2 points")
    return bounds


def _classify(
    data: FloatArray, names: list[str], segment: Segment, improvement: Improvement
) -> list[XmRPoint]:
    values = data[segment.start : segment.stop]
    sides = spc_rules.side_of_mean(values, segment.mean)
    outside = (values > segment.upper_limit) | (values < segment.lower_limit)
    near = ~outside & ((values > segment.near_upper_limit) | (values < segment.near_lower_limit))
    in_trend = spc_rules.trend(values)
    directions = spc_rules.trend_direction(values, in_trend)
    in_two_of_three = spc_rules.two_in_three(near, sides)
    in_shift = spc_rules.shift(sides)
    points = []
    for offset, value in enumerate(values):
        cause = _special_cause(
            side=int(sides[offset]),
            outside=bool(outside[offset]),
            trend=bool(in_trend[offset]),
            rising=bool(directions[offset] > 0),
            two_in_three=bool(in_two_of_three[offset]),
            shift=bool(in_shift[offset]),
        )
        points.append(
            XmRPoint(
                label=names[segment.start + offset],
                value=float(value),
                # A segment's first point has no moving range: limits restart there.
                moving_range=abs(float(value - values[offset - 1])) if offset else None,
                mean=segment.mean,
                lower_limit=segment.lower_limit,
                upper_limit=segment.upper_limit,
                outside_limits=bool(outside[offset]),
                trend=bool(in_trend[offset]),
                two_in_three=bool(in_two_of_three[offset]),
                shift=bool(in_shift[offset]),
                special_cause=cause,
                point_type=point_type(cause, improvement),
            )
        )
    return points


def _special_cause(
    *, side: int, outside: bool, trend: bool, rising: bool, two_in_three: bool, shift: bool
) -> SpecialCause | None:
    """The first rule that applies, in Making Data Count's order of precedence."""
    above = side > 0
    if outside:
        return SpecialCause.ABOVE_UPPER_LIMIT if above else SpecialCause.BELOW_LOWER_LIMIT
    if trend:
        # As NHSRplotthedots: a trend point whose step is not rising counts as decreasing.
        return SpecialCause.TREND_INCREASING if rising else SpecialCause.TREND_DECREASING
    if two_in_three:
        return SpecialCause.TWO_IN_THREE_HIGH if above else SpecialCause.TWO_IN_THREE_LOW
    if shift:
        return SpecialCause.SHIFT_ABOVE if above else SpecialCause.SHIFT_BELOW
    return None
