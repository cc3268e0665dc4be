"""The search's inner loops, compiled with numba: route timing, insertion pricing, sync.

These are line-for-line ports of ``schedule.time_route``, ``insertion_cost``
and ``evaluate`` onto flat numpy arrays, so that the search can price tens of
thousands of insertions a second. ``schedule.py`` stays the reference: the
plan handed back is re-timed there, and a test holds the two to the same
costs on every benchmark family. Nothing here knows about Django or the app.

Why numba and not numpy: the loops are short and branchy (a break taken on
the way, the walk stopping as soon as the old timing is met again), so they
do not vectorise; compiled, they run about a hundred times faster than in
CPython. ``cache=True`` keeps the machine code beside this file, so the
compilation (some seconds) is paid once per install, not once per plan.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numba import njit

from wraparound.planning.schedule import MAX_SYNC_ROUNDS, NO_BOUND, TOLERANCE, Day
from wraparound.planning.tasks import HARD_VIOLATION, MANDATORY_UNSERVED

MANDATORY = MANDATORY_UNSERVED

Array = np.ndarray[Any, Any]


class Static(NamedTuple):
    """What does not change during a search, as arrays over tasks, staff and places."""

    travel: Array  # [place, place] minutes
    place: Array  # [task]
    duration: Array
    earliest: Array
    latest: Array
    counts: Array  # [task] 1 if its lateness counts (the first task of a visit)
    demand: Array
    cont: Array  # [task, staff] continuity cost
    shift_start: Array  # [staff]
    shift_end: Array
    start_place: Array
    end_place: Array
    max_work: Array  # inf when there is no limit
    capacity: Array  # -1 when there is no limit
    brk: Array  # [staff, break, (earliest, latest, duration)], sorted
    nbrk: Array  # [staff]
    weights: Array  # travel, lateness, max_lateness, overtime, staff_used
    flags: Array  # hard_windows, hard_shift_end
    link_first: Array  # [link]
    link_second: Array
    link_low: Array
    link_high: Array
    link_apart: Array


class Timing(NamedTuple):
    """Every route's timing at once: rows are staff, columns are positions in the route."""

    seq: Array
    length: Array
    starts: Array
    after: Array  # breaks taken by the end of each stop's leg
    travel_upto: Array
    late_before: Array
    travel: Array  # [staff] totals
    lateness: Array
    max_late: Array
    end: Array
    overtime: Array
    load: Array
    cost: Array
    nviol: Array


def static_of(day: Day) -> Static:
    tk, w = day.tasks, day.weights
    k = tk.k
    most = max((len(b) for b in day.breaks), default=0)
    brk = np.zeros((k, max(most, 1), 3))
    for s, breaks in enumerate(day.breaks):
        for i, b in enumerate(breaks):
            brk[s, i] = b
    return Static(
        travel=np.asarray(tk.travel, dtype=np.float64),
        place=np.asarray(tk.place, dtype=np.int64),
        duration=np.asarray(tk.duration, dtype=np.float64),
        earliest=np.asarray(tk.earliest, dtype=np.float64),
        latest=np.asarray(tk.latest, dtype=np.float64),
        counts=np.asarray(tk.counts_lateness, dtype=np.int64),
        demand=np.asarray(tk.demand, dtype=np.int64),
        cont=np.asarray(tk.continuity_cost, dtype=np.float64).reshape(tk.n, k),
        shift_start=np.asarray(day.shift_start, dtype=np.float64),
        shift_end=np.asarray(day.shift_end, dtype=np.float64),
        start_place=np.asarray(day.start_place, dtype=np.int64),
        end_place=np.asarray(day.end_place, dtype=np.int64),
        max_work=np.array([np.inf if m is None else float(m) for m in day.max_work]),
        capacity=np.array([-1 if c is None else int(c) for c in day.capacity], dtype=np.int64),
        brk=brk,
        nbrk=np.array([len(b) for b in day.breaks], dtype=np.int64),
        weights=np.array(
            [w.travel, w.lateness, w.max_lateness, w.overtime, w.staff_used], dtype=np.float64
        ),
        flags=np.array([int(w.hard_windows), int(w.hard_shift_end)], dtype=np.int64),
        link_first=np.array([x.first for x in tk.links], dtype=np.int64),
        link_second=np.array([x.second for x in tk.links], dtype=np.int64),
        link_low=np.array([x.low for x in tk.links], dtype=np.float64),
        link_high=np.array([x.high for x in tk.links], dtype=np.float64),
        link_apart=np.array([int(x.apart) for x in tk.links], dtype=np.int64),
    )


def new_timing(routes: list[list[int]], width: int) -> Timing:
    """Arrays for ``routes``, wide enough for any route (``width`` is the number of tasks)."""
    k = len(routes)
    seq = np.empty((k, width + 1), dtype=np.int64)
    length = np.zeros(k, dtype=np.int64)
    for r, route in enumerate(routes):
        length[r] = len(route)
        if route:
            seq[r, : len(route)] = route
    shape = (k, width + 1)
    return Timing(
        seq=seq,
        length=length,
        starts=np.empty(shape),
        after=np.empty(shape, dtype=np.int64),
        travel_upto=np.empty(shape),
        late_before=np.empty(shape),
        travel=np.zeros(k),
        lateness=np.zeros(k),
        max_late=np.zeros(k),
        end=np.zeros(k),
        overtime=np.zeros(k),
        load=np.zeros(k, dtype=np.int64),
        cost=np.zeros(k),
        nviol=np.zeros(k, dtype=np.int64),
    )


def copy_timing(tm: Timing) -> Timing:
    return Timing(*(a.copy() for a in tm))


@njit(cache=True)
def _leg(
    s: Static, k: int, free: float, here: int, taken: int, t: int, bnd: float
) -> tuple[float, int, float]:
    leg = s.travel[here, s.place[t]]
    arrive = free + leg
    opens = s.earliest[t] if s.earliest[t] > bnd else bnd
    start = arrive if arrive > opens else opens
    cursor = free
    while taken < s.nbrk[k]:
        lo = s.brk[k, taken, 0]
        hi = s.brk[k, taken, 1]
        length = s.brk[k, taken, 2]
        b_start = cursor if cursor > lo else lo
        if b_start > hi:
            break
        arrive_b = (arrive if arrive > b_start else b_start) + length
        start_b = arrive_b if arrive_b > opens else opens
        if start_b <= start + TOLERANCE or start + s.duration[t] > hi:
            arrive = arrive_b
            start = start_b
            cursor = b_start + length
            taken += 1
        else:
            break
    return start, taken, leg


@njit(cache=True)
def _home(s: Static, k: int, free: float, here: int, taken: int) -> tuple[float, float, int]:
    leg = s.travel[here, s.end_place[k]]
    arrive = free + leg
    cursor = free
    missed = 0
    for b in range(taken, s.nbrk[k]):
        lo = s.brk[k, b, 0]
        hi = s.brk[k, b, 1]
        length = s.brk[k, b, 2]
        b_start = cursor if cursor > lo else lo
        if b_start > hi:
            missed += 1
            continue
        arrive = (arrive if arrive > b_start else b_start) + length
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
        start, taken, leg = _leg(s, k, free, here, taken, t, bound[t])
        travel += leg
        tm.late_before[k, i] = lateness
        late = start - s.latest[t] if s.counts[t] == 1 else 0.0
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
    end, leg, missed = _home(s, k, free, here, taken)
    travel += leg
    if missed > 0:
        nviol += 1
    overtime = end - s.shift_end[k]
    if overtime < 0.0:
        overtime = 0.0
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
    tm.cost[k] = (
        w[0] * travel
        + w[1] * lateness
        + (0.0 if hard_end else w[3] * overtime)
        + continuity
        + w[4]
        + HARD_VIOLATION * nviol
    )


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
        if s.counts[p] == 1:
            over = tm.starts[k, pos - 1] - s.latest[p]
            lateness += over if over > 0.0 else 0.0
    start_t, taken, leg = _leg(s, k, free, here, taken, t, t_bound)
    late = start_t - s.latest[t] if s.counts[t] == 1 else 0.0
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
        start, taken, leg = _leg(s, k, free, here, taken, u, bound[u])
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
        late = start - s.latest[u] if s.counts[u] == 1 else 0.0
        if late > 0.0:
            if hard_windows and late > TOLERANCE:
                return False, 0.0, 0.0
            lateness += late
            if late > worst_late:
                worst_late = late
        free = start + s.duration[u]
        here = s.place[u]
    end, leg, missed = _home(s, k, free, here, taken)
    if missed > 0:
        return False, 0.0, 0.0
    travel += leg
    overtime = end - s.shift_end[k]
    if overtime < 0.0:
        overtime = 0.0
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
    opens_t = s.earliest[t] if s.earliest[t] > t_bound else t_bound
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


def fresh_bound(n: int, floor: list[float] | None) -> Array:
    if floor is None:
        return np.full(n, NO_BOUND)
    return np.asarray(floor, dtype=np.float64).copy()


class Jobs(NamedTuple):
    """The jobs as flat arrays, for ``repair``: tasks, shape, worth, and each task's links."""

    ptr: Array  # tasks of job j are tasks[ptr[j]:ptr[j + 1]]
    tasks: Array
    kind: Array  # SINGLE, PAIR (two tasks, one link) or CHAIN (anything else)
    link: Array  # the link of a PAIR
    penalty: Array
    allowed_ptr: Array  # staff allowed for task t: allowed[allowed_ptr[t]:allowed_ptr[t + 1]]
    allowed: Array
    links_ptr: Array  # links of task t: links[links_ptr[t]:links_ptr[t + 1]]
    links: Array


SINGLE, PAIR, CHAIN = 0, 1, 2


def jobs_of(day: Day) -> Jobs:
    tk = day.tasks
    ptr = [0]
    tasks: list[int] = []
    kind: list[int] = []
    link: list[int] = []
    index = {id(x): i for i, x in enumerate(tk.links)}
    for job in tk.jobs:
        tasks += job
        ptr.append(len(tasks))
        if len(job) == 1:
            kind.append(SINGLE)
            link.append(-1)
        elif len(job) == 2 and len(tk.links_of[job[0]]) == 1:
            kind.append(PAIR)
            link.append(index[id(tk.links_of[job[0]][0])])
        else:
            kind.append(CHAIN)
            link.append(-1)
    allowed_ptr, allowed = _flatten(tk.allowed)
    links_ptr, links = _flatten([[index[id(x)] for x in ls] for ls in tk.links_of])
    return Jobs(
        ptr=np.asarray(ptr, dtype=np.int64),
        tasks=np.asarray(tasks, dtype=np.int64),
        kind=np.asarray(kind, dtype=np.int64),
        link=np.asarray(link, dtype=np.int64),
        penalty=np.asarray(tk.job_penalty, dtype=np.float64),
        allowed_ptr=allowed_ptr,
        allowed=allowed,
        links_ptr=links_ptr,
        links=links,
    )


def _flatten(rows: list[list[int]]) -> tuple[Array, Array]:
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, r in enumerate(rows):
        ptr[i + 1] = ptr[i] + len(r)
    flat = np.asarray([x for r in rows for x in r], dtype=np.int64)
    return ptr, flat


@njit(cache=True)
def put(
    s: Static,
    tm: Timing,
    bound: Array,
    floor: Array,
    has_floor: bool,
    k: int,
    pos: int,
    t: int,
    t_bound: float,
) -> None:
    """Put ``t`` at ``pos`` of route ``k`` with its sync bound, and re-time the route."""
    n = tm.length[k]
    for i in range(n, pos, -1):
        tm.seq[k, i] = tm.seq[k, i - 1]
    tm.seq[k, pos] = t
    tm.length[k] = n + 1
    bound[t] = t_bound if not has_floor else max(t_bound, floor[t])
    time_row(s, tm, k, bound)


@njit(cache=True)
def take_out(s: Static, tm: Timing, bound: Array, k: int, t: int) -> None:
    n = tm.length[k]
    i = 0
    while tm.seq[k, i] != t:
        i += 1
    for m in range(i, n - 1):
        tm.seq[k, m] = tm.seq[k, m + 1]
    tm.length[k] = n - 1
    time_row(s, tm, k, bound)


@njit(cache=True)
def _best_pair(
    s: Static,
    tm: Timing,
    bound: Array,
    jb: Jobs,
    fixed: Array,
    near: Array,
    li: int,
    max_late: float,
    keep: int,
) -> tuple[float, int, int, float, int, int, float]:
    """Both sides of a link placed jointly: (cost, k_a, pos_a, start_a, k_b, pos_b, start_b)."""
    a = s.link_first[li]
    b = s.link_second[li]
    low = s.link_low[li]
    high = s.link_high[li]
    apart = s.link_apart[li] == 1
    no_ban = np.zeros(tm.length.shape[0], dtype=np.bool_)
    ca = np.empty(keep)
    ka = np.empty(keep, dtype=np.int64)
    pa = np.empty(keep, dtype=np.int64)
    sa_ = np.empty(keep)
    cb = np.empty(keep)
    kb = np.empty(keep, dtype=np.int64)
    pb = np.empty(keep, dtype=np.int64)
    sb_ = np.empty(keep)
    allowed_a = jb.allowed[jb.allowed_ptr[a] : jb.allowed_ptr[a + 1]]
    allowed_b = jb.allowed[jb.allowed_ptr[b] : jb.allowed_ptr[b + 1]]
    na = cheapest_near(
        s, tm, bound, allowed_a, no_ban, fixed, near, a, NO_BOUND, max_late, keep, ca, ka, pa, sa_
    )
    nb = cheapest_near(
        s, tm, bound, allowed_b, no_ban, fixed, near, b, NO_BOUND, max_late, keep, cb, kb, pb, sb_
    )
    best = np.inf
    out = (np.inf, -1, -1, 0.0, -1, -1, 0.0)
    for i in range(na):
        for j in range(nb):
            if apart and ka[i] == kb[j]:
                continue
            sa = max(sa_[i], sb_[j] - high)
            sb = max(sb_[j], sa + low)
            sa = max(sa, sb - high)
            # Price each side when it may not start before its joint start.
            if sa <= sa_[i] + 1e-9:
                ok_a, cost_a, got_a = True, ca[i], sa_[i]
            else:
                ok_a, cost_a, got_a = insertion(s, tm, bound, ka[i], pa[i], a, sa, max_late)
            if not ok_a:
                continue
            if sb <= sb_[j] + 1e-9:
                ok_b, cost_b, got_b = True, cb[j], sb_[j]
            else:
                ok_b, cost_b, got_b = insertion(s, tm, bound, kb[j], pb[j], b, sb, max_late)
            if not ok_b:
                continue
            gap = got_b - got_a
            if gap < low - TOLERANCE or gap > high + TOLERANCE:
                continue
            total = cost_a + cost_b
            if total < best:
                best = total
                out = (total, ka[i], pa[i], got_a, kb[j], pb[j], got_b)
    return out


@njit(cache=True)
def _insert_chain(
    s: Static,
    tm: Timing,
    bound: Array,
    floor: Array,
    has_floor: bool,
    jb: Jobs,
    fixed: Array,
    near: Array,
    j: int,
    max_late: float,
) -> bool:
    # Rare shapes (a visit in several gaps): place one task at a time, each
    # bounded by the ones already placed; undo all if one cannot be placed.
    nk = tm.length.shape[0]
    first = jb.ptr[j]
    last = jb.ptr[j + 1]
    placed_k = np.full(last - first, -1, dtype=np.int64)
    placed_start = np.zeros(last - first)
    c = np.empty(1)
    kk = np.empty(1, dtype=np.int64)
    pp = np.empty(1, dtype=np.int64)
    ss = np.empty(1)
    for m in range(first, last):
        t = jb.tasks[m]
        t_bound = NO_BOUND
        banned = np.zeros(nk, dtype=np.bool_)
        for x in range(jb.links_ptr[t], jb.links_ptr[t + 1]):
            li = jb.links[x]
            other = s.link_first[li] if s.link_second[li] == t else s.link_second[li]
            at = -1
            for q in range(first, m):
                if jb.tasks[q] == other:
                    at = q - first
            if at < 0:
                continue
            banned[placed_k[at]] = True
            s_other = placed_start[at]
            need = s_other + s.link_low[li] if s.link_second[li] == t else s_other - s.link_high[li]
            if need > t_bound:
                t_bound = need
        allowed_t = jb.allowed[jb.allowed_ptr[t] : jb.allowed_ptr[t + 1]]
        found = cheapest_near(
            s, tm, bound, allowed_t, banned, fixed, near, t, t_bound, max_late, 1, c, kk, pp, ss
        )
        if found == 0:
            for q in range(first, m):
                take_out(s, tm, bound, placed_k[q - first], jb.tasks[q])
            return False
        placed_k[m - first] = kk[0]
        placed_start[m - first] = ss[0]
        put(s, tm, bound, floor, has_floor, kk[0], pp[0], t, t_bound)
    return True


@njit(cache=True)
def repair(
    s: Static,
    tm: Timing,
    bound: Array,
    floor: Array,
    has_floor: bool,
    jb: Jobs,
    fixed: Array,
    near: Array,
    order: Array,
    max_late: float,
    pair_candidates: int,
    left: Array,
) -> int:
    """Put the jobs of ``order`` back, each at its cheapest place, in that order.

    A job is left out when no place is possible or its cheapest place costs
    more than leaving it (its penalty); those are written to ``left``, and
    their number returned.
    """
    nk = tm.length.shape[0]
    no_ban = np.zeros(nk, dtype=np.bool_)
    c = np.empty(1)
    kk = np.empty(1, dtype=np.int64)
    pp = np.empty(1, dtype=np.int64)
    ss = np.empty(1)
    n_left = 0
    for x in range(order.shape[0]):
        j = order[x]
        worth = jb.penalty[j]
        done = False
        if jb.kind[j] == SINGLE:
            t = jb.tasks[jb.ptr[j]]
            allowed_t = jb.allowed[jb.allowed_ptr[t] : jb.allowed_ptr[t + 1]]
            found = cheapest_near(
                s,
                tm,
                bound,
                allowed_t,
                no_ban,
                fixed,
                near,
                t,
                NO_BOUND,
                max_late,
                1,
                c,
                kk,
                pp,
                ss,
            )
            if found > 0 and c[0] < worth:
                put(s, tm, bound, floor, has_floor, kk[0], pp[0], t, NO_BOUND)
                done = True
        elif jb.kind[j] == PAIR:
            li = jb.link[j]
            cost, ka, pa, sa, kb, pb, sb = _best_pair(
                s, tm, bound, jb, fixed, near, li, max_late, pair_candidates
            )
            if ka >= 0 and cost < worth:
                put(s, tm, bound, floor, has_floor, ka, pa, s.link_first[li], sa)
                put(s, tm, bound, floor, has_floor, kb, pb, s.link_second[li], sb)
                done = True
        else:
            done = _insert_chain(s, tm, bound, floor, has_floor, jb, fixed, near, j, max_late)
        if not done:
            left[n_left] = j
            n_left += 1
    return n_left


@njit(cache=True)
def worst_savings(
    s: Static, tm: Timing, route_of: Array, index_of: Array, jb: Jobs, movable: Array
) -> Array:
    """What taking each movable job out would save, roughly: detour, lateness, continuity."""
    w = s.weights
    out = np.zeros(movable.shape[0])
    for x in range(movable.shape[0]):
        j = movable[x]
        total = 0.0
        for m in range(jb.ptr[j], jb.ptr[j + 1]):
            t = jb.tasks[m]
            k = route_of[t]
            i = index_of[t]
            n = tm.length[k]
            prev = s.place[tm.seq[k, i - 1]] if i > 0 else s.start_place[k]
            nxt = s.place[tm.seq[k, i + 1]] if i + 1 < n else s.end_place[k]
            here = s.place[t]
            detour = s.travel[prev, here] + s.travel[here, nxt] - s.travel[prev, nxt]
            late = tm.starts[k, i] - s.latest[t]
            total += w[0] * detour + w[1] * (late if late > 0.0 else 0.0) + s.cont[t, k]
        out[x] = total
    return out


@njit(cache=True)
def relatedness(
    s: Static, tm: Timing, route_of: Array, index_of: Array, first: Array, seed: int, movable: Array
) -> Array:
    """How far each movable job is from the seed job: travel, plus a fifth of the time apart."""
    st = first[seed]
    s_start = tm.starts[route_of[st], index_of[st]]
    out = np.empty(movable.shape[0])
    for x in range(movable.shape[0]):
        t = first[movable[x]]
        apart = tm.starts[route_of[t], index_of[t]] - s_start
        out[x] = s.travel[s.place[st], s.place[t]] + 0.2 * (apart if apart > 0.0 else -apart)
    return out


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


def neighbours(day: Day, how_many: int) -> Array:
    """Each task's ``how_many`` nearest tasks, by travel plus a fifth of the gap between window openings."""
    tk = day.tasks
    n = tk.n
    travel = np.asarray(tk.travel, dtype=np.float64)
    place = np.asarray(tk.place, dtype=np.int64)
    opens = np.asarray(tk.earliest, dtype=np.float64)
    far = travel[np.ix_(place, place)] + 0.2 * np.abs(opens[:, None] - opens[None, :])
    np.fill_diagonal(far, np.inf)
    near = np.zeros((n, n), dtype=np.bool_)
    if n <= 1:
        return near
    m = min(how_many, n - 1)
    idx = np.argpartition(far, m - 1, axis=1)[:, :m]
    rows = np.repeat(np.arange(n), m)
    near[rows, idx.ravel()] = True
    return near | near.T


@njit(cache=True)
def time_rows(s: Static, tm: Timing, bound: Array, rows: Array) -> None:
    for x in range(rows.shape[0]):
        time_row(s, tm, rows[x], bound)
