"""The four special-cause rules of an XmR chart, applied to one segment of points.

Each rule answers, for every point, whether that point is *part of* a pattern,
the way NHSRplotthedots (R/ptd_calculate_point_type.R) marks them, so that a
chart highlights every point of a shift or trend, not just the one that
completes it:

- outside the process limits;
- a trend: 7 points each strictly higher (or lower) than the one before; a tie
  ends it; all 7 points are marked;
- two of three: within any 3 consecutive points, at least 2 lie beyond 2/3 of
  the way to a limit (but not outside it) and all 3 lie on the same side of
  the mean; only the points near the limit are marked;
- a shift: 7 or more points on the same side of the mean; a point exactly on
  the mean ends it; all points of the run are marked.

Inputs are plain numpy arrays for a single segment (limits are recalculated
at each marked change, so no rule runs across a change).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RUN_LENGTH = 7
"""Points in a run that makes a shift or a trend."""

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
SignArray = npt.NDArray[np.int8]


def side_of_mean(values: FloatArray, mean: float) -> SignArray:
    """+1 above the mean, -1 below, 0 exactly on it."""
    return np.sign(values - mean).astype(np.int8)


def part_of_run(run_ends: BoolArray) -> BoolArray:
    """Mark the 7 points that end at each flagged run end."""
    part = np.zeros(run_ends.shape, dtype=np.bool_)
    for end in np.flatnonzero(run_ends):
        part[max(0, end - RUN_LENGTH + 1) : end + 1] = True
    return part


def shift(sides: SignArray) -> BoolArray:
    """Points that belong to a run of 7+ on one side of the mean."""
    ends = np.zeros(sides.shape, dtype=np.bool_)
    for end in range(RUN_LENGTH - 1, len(sides)):
        window = sides[end - RUN_LENGTH + 1 : end + 1]
        ends[end] = window[-1] != 0 and bool(np.all(window == window[-1]))
    return part_of_run(ends)


def trend(values: FloatArray) -> BoolArray:
    """Points that belong to 7 consecutive strictly rising or strictly falling values."""
    steps = np.sign(np.diff(values))
    ends = np.zeros(values.shape, dtype=np.bool_)
    for end in range(RUN_LENGTH - 1, len(values)):
        window = steps[end - RUN_LENGTH + 1 : end]
        ends[end] = bool(np.all(window == 1) or np.all(window == -1))
    return part_of_run(ends)


def trend_direction(values: FloatArray, in_trend: BoolArray) -> SignArray:
    """The direction (+1 rising, -1 falling) of the trend each trend point belongs to.

    A point that is in a trend and followed by another trend point takes the
    direction of the step after it; otherwise the step before it. So the peak
    between a rising and a falling trend counts as falling, as in
    NHSRplotthedots.
    """
    steps = np.sign(np.diff(values)).astype(np.int8)
    if len(steps) == 0:
        return np.zeros(values.shape, dtype=np.int8)
    step_after = np.concatenate([steps, steps[-1:]])
    step_before = np.concatenate([np.zeros(1, dtype=np.int8), steps])
    next_in_trend = np.concatenate([in_trend[1:], np.zeros(1, dtype=np.bool_)])
    return np.where(in_trend & next_in_trend, step_after, step_before).astype(np.int8)


def two_in_three(near_limit: BoolArray, sides: SignArray) -> BoolArray:
    """Points near a limit that make 2 of 3 near a limit, all 3 on one side of the mean."""
    flagged = np.zeros(near_limit.shape, dtype=np.bool_)
    for start in range(len(near_limit) - 2):
        window = slice(start, start + 3)
        if np.count_nonzero(near_limit[window]) >= 2 and abs(int(np.sum(sides[window]))) == 3:
            flagged[window] |= near_limit[window]
    return flagged
