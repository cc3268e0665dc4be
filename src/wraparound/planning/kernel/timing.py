"""Timing every route and meeting the sync gaps: the compiled twin of ``schedule.py``.

The rules themselves (when a stop starts, when a break is taken, what is late, what a route
costs) are ``planning/rules.py``'s functions, compiled here unchanged, so they are written
once. What stays here is the walk along a route over the flat arrays, and the sync fixpoint.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from wraparound.planning import rules
from wraparound.planning.kernel.arrays import Array, Static, Timing
from wraparound.planning.rules import TOLERANCE
from wraparound.planning.schedule import MAX_SYNC_ROUNDS
from wraparound.planning.tasks import HARD_VIOLATION

# The rules, compiled from their one definition.
window_opens = njit(cache=True)(rules.window_opens)
start_at = njit(cache=True)(rules.start_at)
break_on_the_way = njit(cache=True)(rules.break_on_the_way)
break_on_the_way_home = njit(cache=True)(rules.break_on_the_way_home)
lateness_of = njit(cache=True)(rules.lateness)
overtime_of = njit(cache=True)(rules.overtime)
route_cost = njit(cache=True)(rules.route_cost)


@njit(cache=True)
def time_leg(
    s: Static, k: int, free: float, here: int, taken: int, t: int, bnd: float
) -> tuple[float, int, float]:
    """Start of task ``t`` after leaving ``here`` at ``free``; breaks taken; leg minutes."""
    leg = s.travel[here, s.place[t]]
    arrive = free + leg
    opens = window_opens(s.earliest[t], bnd)
    start = start_at(arrive, opens)
    cursor = free
    while taken < s.nbrk[k]:
        length = s.brk[k, taken, 2]
        took, arrive, start, b_start = break_on_the_way(
            cursor,
            arrive,
            opens,
            start,
            s.duration[t],
            s.brk[k, taken, 0],
            s.brk[k, taken, 1],
            length,
        )
        if not took:
            break
        cursor = b_start + length
        taken += 1
    return start, taken, leg


@njit(cache=True)
def time_home(s: Static, k: int, free: float, here: int, taken: int) -> tuple[float, float, int]:
    """Arrival at the end place, taking any breaks left; returns (end, leg, breaks missed)."""
    leg = s.travel[here, s.end_place[k]]
    arrive = free + leg
    cursor = free
    missed = 0
    for b in range(taken, s.nbrk[k]):
        length = s.brk[k, b, 2]
        took, arrive, b_start = break_on_the_way_home(
            cursor, arrive, s.brk[k, b, 0], s.brk[k, b, 1], length
        )
        if not took:
            missed += 1
            continue
        cursor = b_start + length
    return arrive, leg, missed


@njit(cache=True)
def time_row(s: Static, tm: Timing, k: int, bound: Array) -> None:
    """Time route ``k`` from ``tm.seq[k]``, as ``schedule.time_route`` does."""
    w = s.weights
    hard_windows = s.flags[0] == 1
    hard_end = s.flags[1] == 1
    n = tm.length[k]
    if n == 0:
        tm.travel[k] = 0.0
        tm.lateness[k] = 0.0
        tm.max_late[k] = 0.0
        tm.end[k] = s.shift_start[k]
        tm.overtime[k] = 0.0
        tm.load[k] = 0
        tm.cost[k] = 0.0
        tm.nviol[k] = 0
        return
    free = s.shift_start[k]
    here = s.start_place[k]
    taken = 0
    travel = 0.0
    lateness = 0.0
    max_late = 0.0
    continuity = 0.0
    load = 0
    nviol = 0
    for i in range(n):
        t = tm.seq[k, i]
        start, taken, leg = time_leg(s, k, free, here, taken, t, bound[t])
        travel += leg
        tm.late_before[k, i] = lateness
        late = lateness_of(start, s.latest[t], s.counts[t] == 1)
        if late > 0.0:
            if hard_windows and late > TOLERANCE:
                nviol += 1
            lateness += late
            if late > max_late:
                max_late = late
        continuity += s.cont[t, k]
        load += s.demand[t]
        tm.starts[k, i] = start
        tm.after[k, i] = taken
        tm.travel_upto[k, i] = travel
        free = start + s.duration[t]
        here = s.place[t]
    end, leg, missed = time_home(s, k, free, here, taken)
    travel += leg
    if missed > 0:
        nviol += 1
    overtime = overtime_of(end, s.shift_end[k])
    if hard_end and overtime > TOLERANCE:
        nviol += 1
    if end - s.shift_start[k] > s.max_work[k] + TOLERANCE:
        nviol += 1
    if s.capacity[k] >= 0 and load > s.capacity[k]:
        nviol += 1
    tm.travel[k] = travel
    tm.lateness[k] = lateness
    tm.max_late[k] = max_late
    tm.end[k] = end
    tm.overtime[k] = overtime
    tm.load[k] = load
    tm.nviol[k] = nviol
    tm.cost[k] = route_cost(
        travel,
        lateness,
        overtime,
        continuity,
        w[0],
        w[1],
        w[3],
        w[4],
        hard_end,
        nviol,
        HARD_VIOLATION,
    )


@njit(cache=True)
def evaluate_all(
    s: Static,
    tm: Timing,
    bound: Array,
    route_of: Array,
    index_of: Array,
    pinned: Array,
    floor: Array,
    has_floor: bool,
) -> tuple[float, float, int]:
    """Time every route and meet the sync gaps, as ``schedule.evaluate`` does.

    ``route_of`` and ``index_of`` (all -1 on entry) are filled with where each task is.

    Returns (cost without unserved penalties, the largest lateness, broken rules).
    """
    nk = tm.length.shape[0]
    for k in range(nk):
        for i in range(tm.length[k]):
            route_of[tm.seq[k, i]] = k
            index_of[tm.seq[k, i]] = i
    for k in range(nk):
        time_row(s, tm, k, bound)
    extra = 0
    nl = s.link_first.shape[0]
    active = np.zeros(nl, dtype=np.bool_)
    any_active = False
    for li in range(nl):
        a = s.link_first[li]
        b = s.link_second[li]
        if route_of[a] >= 0 and route_of[b] >= 0:
            active[li] = True
            any_active = True
            if s.link_apart[li] == 1 and route_of[a] == route_of[b]:
                extra += 1
    settled = not any_active
    moved = np.zeros(nk, dtype=np.bool_)
    for _ in range(MAX_SYNC_ROUNDS):
        if settled:
            break
        moved[:] = False
        any_moved = False
        for li in range(nl):
            if not active[li]:
                continue
            a = s.link_first[li]
            b = s.link_second[li]
            ka = route_of[a]
            kb = route_of[b]
            sa = tm.starts[ka, index_of[a]]
            sb = tm.starts[kb, index_of[b]]
            if sb < sa + s.link_low[li] - TOLERANCE:
                bound[b] = sa + s.link_low[li]
                moved[kb] = True
                any_moved = True
            if sa < sb - s.link_high[li] - TOLERANCE:
                bound[a] = sb - s.link_high[li]
                moved[ka] = True
                any_moved = True
        for k in range(nk):
            if moved[k]:
                time_row(s, tm, k, bound)
        settled = not any_moved
    if not settled:
        extra += 1
    if has_floor:
        for k in range(nk):
            for i in range(tm.length[k]):
                t = tm.seq[k, i]
                if pinned[t] and tm.starts[k, i] > floor[t] + TOLERANCE:
                    extra += 1
    max_late = 0.0
    total = 0.0
    for k in range(nk):
        total += tm.cost[k]
        if tm.max_late[k] > max_late:
            max_late = tm.max_late[k]
    return total + s.weights[2] * max_late + HARD_VIOLATION * extra, max_late, extra


@njit(cache=True)
def time_rows(s: Static, tm: Timing, bound: Array, rows: Array) -> None:
    for x in range(rows.shape[0]):
        time_row(s, tm, rows[x], bound)
