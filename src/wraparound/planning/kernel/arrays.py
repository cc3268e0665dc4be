"""The search's state as flat numpy arrays: what a day holds (``Static``), how the routes
stand (``Timing``), the jobs to place (``Jobs``), and each task's near neighbours.

Built once per search from ``schedule.Day``; the compiled loops in the sibling modules read
and write only these arrays. Nothing here is compiled.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from wraparound.planning.schedule import NO_BOUND, Day
from wraparound.planning.tasks import MANDATORY_UNSERVED

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
