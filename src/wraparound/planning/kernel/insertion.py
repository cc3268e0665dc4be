"""Pricing an insertion in place: what putting one task at one position costs, and the
cheapest position over every route (``schedule.insertion_cost`` is the reference)."""

from __future__ import annotations

import numpy as np
from numba import njit

from wraparound.planning.kernel.arrays import Array, Static, Timing
from wraparound.planning.kernel.timing import (
    lateness_of,
    overtime_of,
    time_home,
    time_leg,
    window_opens,
)
from wraparound.planning.rules import TOLERANCE


@njit(cache=True)
def insertion(
    s: Static,
    tm: Timing,
    bound: Array,
    k: int,
    pos: int,
    t: int,
    t_bound: float,
    max_late: float,
) -> tuple[bool, float, float]:
    """(possible, extra cost, start of ``t``) for ``t`` at ``pos`` in route ``k``; see ``schedule.insertion_cost``."""
    w = s.weights
    hard_windows = s.flags[0] == 1
    hard_end = s.flags[1] == 1
    n = tm.length[k]
    if s.capacity[k] >= 0 and tm.load[k] + s.demand[t] > s.capacity[k]:
        return False, 0.0, 0.0
    if pos == 0:
        free = s.shift_start[k]
        here = s.start_place[k]
        taken = 0
        travel = 0.0
        lateness = 0.0
    else:
        p = tm.seq[k, pos - 1]
        free = tm.starts[k, pos - 1] + s.duration[p]
        here = s.place[p]
        taken = tm.after[k, pos - 1]
        travel = tm.travel_upto[k, pos - 1]
        lateness = tm.late_before[k, pos - 1]
        lateness += lateness_of(tm.starts[k, pos - 1], s.latest[p], s.counts[p] == 1)
    start_t, taken, leg = time_leg(s, k, free, here, taken, t, t_bound)
    late = lateness_of(start_t, s.latest[t], s.counts[t] == 1)
    if late > 0.0:
        if hard_windows and late > TOLERANCE:
            return False, 0.0, 0.0
        lateness += late
    worst_late = late if late > 0.0 else 0.0
    travel += leg
    free = start_t + s.duration[t]
    here = s.place[t]
    fixed = s.cont[t, k] + (0.0 if n > 0 else w[4])
    for j in range(pos, n):
        u = tm.seq[k, j]
        start, taken, leg = time_leg(s, k, free, here, taken, u, bound[u])
        travel += leg
        if abs(start - tm.starts[k, j]) <= 1e-9 and taken == tm.after[k, j]:
            extra = worst_late - max_late
            delta = (
                w[0] * (travel - tm.travel_upto[k, j])
                + w[1] * (lateness - tm.late_before[k, j])
                + w[2] * (extra if extra > 0.0 else 0.0)
                + fixed
            )
            return True, delta, start_t
        late = lateness_of(start, s.latest[u], s.counts[u] == 1)
        if late > 0.0:
            if hard_windows and late > TOLERANCE:
                return False, 0.0, 0.0
            lateness += late
            if late > worst_late:
                worst_late = late
        free = start + s.duration[u]
        here = s.place[u]
    end, leg, missed = time_home(s, k, free, here, taken)
    if missed > 0:
        return False, 0.0, 0.0
    travel += leg
    overtime = overtime_of(end, s.shift_end[k])
    if hard_end and overtime > TOLERANCE:
        return False, 0.0, 0.0
    if end - s.shift_start[k] > s.max_work[k] + TOLERANCE:
        return False, 0.0, 0.0
    extra = worst_late - max_late
    delta = (
        w[0] * (travel - tm.travel[k])
        + w[1] * (lateness - tm.lateness[k])
        + w[2] * (extra if extra > 0.0 else 0.0)
        + (0.0 if hard_end else w[3] * (overtime - tm.overtime[k]))
        + fixed
    )
    return True, delta, start_t


@njit(cache=True)
def cheapest(
    s: Static,
    tm: Timing,
    bound: Array,
    allowed: Array,
    banned: Array,
    fixed: Array,
    near_t: Array,
    t: int,
    t_bound: float,
    max_late: float,
    keep: int,
    out_cost: Array,
    out_k: Array,
    out_pos: Array,
    out_start: Array,
) -> int:
    """The ``keep`` cheapest places for ``t`` (sorted, ties in search order); returns how many.

    When ``near_t`` is not empty, only places next to a task it marks are
    tried (and every empty route): a granular neighbourhood.
    """
    use_near = near_t.shape[0] > 0
    picky = False
    if use_near:
        for k in range(s.cont.shape[1]):
            if s.cont[t, k] > 0.0:
                picky = True
    w = s.weights
    hard_windows = s.flags[0] == 1
    here_t = s.place[t]
    latest_t = s.latest[t] if s.counts[t] == 1 else np.inf
    opens_t = window_opens(s.earliest[t], t_bound)
    found = 0
    worst = np.inf
    for a in range(allowed.shape[0]):
        k = allowed[a]
        if banned[k]:
            continue
        n = tm.length[k]
        extra = s.cont[t, k] + (0.0 if n > 0 else w[4])
        # A preferred member of staff's route is always searched in full:
        # continuity is worth more than the travel the filter saves.
        filtered = use_near and n > 0 and not (picky and s.cont[t, k] == 0.0)
        for pos in range(fixed[k], n + 1):
            if filtered:
                by_prev = pos > 0 and near_t[tm.seq[k, pos - 1]]
                if not by_prev and not (pos < n and near_t[tm.seq[k, pos]]):
                    continue
            # A cheap lower bound skips most places before the exact walk
            # prices them: the detour, t's own lateness, and the lateness it
            # adds to the stop after it when that stop is pushed later.
            if pos == 0:
                before = s.start_place[k]
                free = s.shift_start[k]
            else:
                p = tm.seq[k, pos - 1]
                before = s.place[p]
                free = tm.starts[k, pos - 1] + s.duration[p]
            after = s.place[tm.seq[k, pos]] if pos < n else s.end_place[k]
            t_lb = free + s.travel[before, here_t]
            if t_lb < opens_t:
                t_lb = opens_t
            late = t_lb - latest_t
            if late > TOLERANCE and hard_windows:
                continue
            worst_l = late if late > 0.0 else 0.0
            pushed = 0.0
            if pos < n:
                u = tm.seq[k, pos]
                arrive_u = t_lb + s.duration[t] + s.travel[here_t, after]
                if arrive_u > tm.starts[k, pos] and s.counts[u] == 1:
                    # u starts no earlier than before, so no stop after it does either.
                    new_late = arrive_u - s.latest[u]
                    if new_late > TOLERANCE and hard_windows:
                        continue
                    old_late = tm.starts[k, pos] - s.latest[u]
                    pushed = (new_late if new_late > 0.0 else 0.0) - (
                        old_late if old_late > 0.0 else 0.0
                    )
                    if new_late > worst_l:
                        worst_l = new_late
            bound_cost = (
                w[0]
                * (s.travel[before, here_t] + s.travel[here_t, after] - s.travel[before, after])
                + (w[1] * late if late > 0 else 0.0)
                + w[1] * pushed
                + (w[2] * (worst_l - max_late) if worst_l > max_late else 0.0)
                + extra
            )
            if bound_cost >= worst:
                continue
            ok, cost, start = insertion(s, tm, bound, k, pos, t, t_bound, max_late)
            if not ok or cost >= worst:
                continue
            # Insert after every place of equal cost, so earlier finds win ties.
            i = found
            while i > 0 and out_cost[i - 1] > cost:
                i -= 1
            last = found if found < keep else keep - 1
            for m in range(last, i, -1):
                out_cost[m] = out_cost[m - 1]
                out_k[m] = out_k[m - 1]
                out_pos[m] = out_pos[m - 1]
                out_start[m] = out_start[m - 1]
            if i < keep:
                out_cost[i] = cost
                out_k[i] = k
                out_pos[i] = pos
                out_start[i] = start
            if found < keep:
                found += 1
            if found >= keep:
                worst = out_cost[found - 1]
    return found


@njit(cache=True)
def cheapest_near(
    s: Static,
    tm: Timing,
    bound: Array,
    allowed: Array,
    banned: Array,
    fixed: Array,
    near: Array,
    t: int,
    t_bound: float,
    max_late: float,
    keep: int,
    out_cost: Array,
    out_k: Array,
    out_pos: Array,
    out_start: Array,
) -> int:
    """``cheapest`` within t's neighbours (``near``: [task, task], empty for none), else everywhere."""
    if near.shape[0] > 0:
        found = cheapest(
            s,
            tm,
            bound,
            allowed,
            banned,
            fixed,
            near[t],
            t,
            t_bound,
            max_late,
            keep,
            out_cost,
            out_k,
            out_pos,
            out_start,
        )
        if found > 0:
            return found
    return cheapest(
        s,
        tm,
        bound,
        allowed,
        banned,
        fixed,
        np.zeros(0, dtype=np.bool_),
        t,
        t_bound,
        max_late,
        keep,
        out_cost,
        out_k,
        out_pos,
        out_start,
    )
