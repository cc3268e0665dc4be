"""The timing rules, written once: when a stop can start, when a break is taken, what late is.

Plain scalar functions, so that they run as they are in the reference schedule
(``schedule.py``) and are compiled unchanged by numba for the search's inner loops
(``kernel/timing.py`` wraps these same functions with ``njit``). A rule changed here
changes both; ``tests/planning/test_kernel.py`` holds the two to the same costs on every
benchmark family. See docs/planning/adding-a-constraint.md.

Everything is in minutes from midnight. Only arithmetic and comparisons, and no function
here calls another: numba compiles each in nopython mode on its own, so no containers, no
exceptions, no Python objects.
"""

from __future__ import annotations

# Below this, two times are the same time: floating sums of travel never agree exactly.
TOLERANCE = 1e-6


def window_opens(earliest: float, bound: float) -> float:
    """A stop opens at its window's start, or later if a sync partner holds it back."""
    return earliest if earliest > bound else bound


def start_at(arrive: float, opens: float) -> float:
    """A stop starts on arrival, or when it opens if that is later: no one starts early."""
    return arrive if arrive > opens else opens


def break_on_the_way(
    cursor: float,
    arrive: float,
    opens: float,
    start: float,
    duration: float,
    lo: float,
    hi: float,
    length: float,
) -> tuple[bool, float, float, float]:
    """Whether the next break (window ``lo``-``hi``, ``length`` long) is taken before a stop.

    It is taken when it costs the stop nothing (it fits in the waiting) or when it is the
    last chance (the stop would end after the break's latest start). Returns (taken,
    arrival after it, the stop's start after it, when the break begins); a break that
    cannot begin by ``hi`` is not taken here.
    """
    b_start = cursor if cursor > lo else lo
    if b_start > hi:
        return False, arrive, start, b_start
    arrive_b = (arrive if arrive > b_start else b_start) + length
    start_b = arrive_b if arrive_b > opens else opens  # start_at's rule: numba compiles
    # each function here on its own, so one cannot call another.
    if start_b <= start + TOLERANCE or start + duration > hi:
        return True, arrive_b, start_b, b_start
    return False, arrive, start, b_start


def break_on_the_way_home(
    cursor: float, arrive: float, lo: float, hi: float, length: float
) -> tuple[bool, float, float]:
    """A break left when the last stop is done: taken if it can still begin by ``hi``.

    Returns (taken, arrival at the end place after it, when the break begins).
    """
    b_start = cursor if cursor > lo else lo
    if b_start > hi:
        return False, arrive, b_start
    return True, (arrive if arrive > b_start else b_start) + length, b_start


def lateness(start: float, latest: float, counts: bool) -> float:
    """Minutes after the window's latest start; only a visit's first task counts."""
    if not counts:
        return 0.0
    late = start - latest
    return late if late > 0.0 else 0.0


def overtime(end: float, shift_end: float) -> float:
    late = end - shift_end
    return late if late > 0.0 else 0.0


def route_cost(
    travel: float,
    late: float,
    over: float,
    continuity: float,
    w_travel: float,
    w_lateness: float,
    w_overtime: float,
    w_staff_used: float,
    hard_shift_end: bool,
    broken: int,
    hard_violation: float,
) -> float:
    """What one route costs: weighted travel, lateness and overtime, continuity, the member
    of staff used, and a large price for each broken rule."""
    return (
        w_travel * travel
        + w_lateness * late
        + (0.0 if hard_shift_end else w_overtime * over)
        + continuity
        + w_staff_used
        + hard_violation * broken
    )
