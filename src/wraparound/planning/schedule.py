"""Timing: when each task starts, where breaks fall, and what a set of routes costs.

Every stop starts as early as it can (arrival, window opening, sync bound).
A break is taken on the way to a stop when it costs nothing there (it fits in
the waiting) or when it is the last chance (the stop would end after the
break's latest start). Sync gaps are met by raising the later side's lower
bound until nothing moves: a fixpoint, because delays only ever push forward.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from wraparound.planning import rules
from wraparound.planning.rules import TOLERANCE
from wraparound.planning.tasks import HARD_VIOLATION, Tasks

NO_BOUND = -1e18
# Rounds of sync propagation before we call the routes' ordering contradictory.
# Orderings that can be met settle within 15 rounds on Mankowska D-G days; those
# that cannot (two pairs crossed between two routes) never settle, and each round
# costs a re-timing, so waiting for 200 made such candidates 20 times dearer.
MAX_SYNC_ROUNDS = 40


class Day:
    """Tasks plus per-staff arrays and the weights, ready for the timing loops."""

    def __init__(self, tasks: Tasks) -> None:
        self.tasks = tasks
        p = tasks.problem
        self.weights = p.weights
        self.shift_start = [float(s.shift_start) for s in p.staff]
        self.shift_end = [float(s.shift_end) for s in p.staff]
        self.start_place = [s.start_place for s in p.staff]
        self.end_place = [s.end_place for s in p.staff]
        self.max_work = [s.max_work for s in p.staff]
        self.capacity = [s.capacity for s in p.staff]
        self.breaks = [
            sorted((float(b.earliest), float(b.latest), float(b.duration)) for b in s.breaks)
            for s in p.staff
        ]


@dataclass
class RouteTiming:
    """The timing of one route, with prefix sums so that an insertion can be priced in place."""

    seq: list[int]
    starts: list[float] = field(default_factory=list)
    breaks_after: list[int] = field(default_factory=list)
    travel_upto: list[float] = field(default_factory=list)
    late_before: list[float] = field(default_factory=list)
    break_starts: list[tuple[int, float]] = field(default_factory=list)
    travel: float = 0.0
    lateness: float = 0.0
    max_late: float = 0.0
    end: float = 0.0
    overtime: float = 0.0
    load: int = 0
    cost: float = 0.0
    violations: list[str] = field(default_factory=list)


def _leg(
    day: Day,
    k: int,
    free: float,
    here: int,
    taken: int,
    t: int,
    bound: float,
    record: list[tuple[int, float]] | None,
    pos: int,
) -> tuple[float, int, float]:
    """Start of task ``t`` after leaving ``here`` at ``free``; breaks taken; leg minutes."""
    tk = day.tasks
    leg = tk.travel[here][tk.place[t]]
    arrive = free + leg
    opens = rules.window_opens(tk.earliest[t], bound)
    start = rules.start_at(arrive, opens)
    breaks = day.breaks[k]
    cursor = free
    while taken < len(breaks):
        lo, hi, length = breaks[taken]
        took, arrive, start, b_start = rules.break_on_the_way(
            cursor, arrive, opens, start, tk.duration[t], lo, hi, length
        )
        if not took:
            break
        cursor = b_start + length
        taken += 1
        if record is not None:
            record.append((pos, b_start))
    return start, taken, leg


def _home(
    day: Day,
    k: int,
    free: float,
    here: int,
    taken: int,
    record: list[tuple[int, float]] | None,
    pos: int,
) -> tuple[float, float, int]:
    """Arrival at the end place, taking any breaks left; returns (end, leg, breaks missed)."""
    leg = day.tasks.travel[here][day.end_place[k]]
    arrive = free + leg
    cursor = free
    missed = 0
    for lo, hi, length in day.breaks[k][taken:]:
        took, arrive, b_start = rules.break_on_the_way_home(cursor, arrive, lo, hi, length)
        if not took:
            missed += 1
            continue
        cursor = b_start + length
        if record is not None:
            record.append((pos, b_start))
    return arrive, leg, missed


def time_route(day: Day, k: int, seq: list[int], bound: list[float]) -> RouteTiming:
    """Time a whole route for staff ``k``; ``bound`` holds each task's earliest start from sync."""
    tk, w = day.tasks, day.weights
    rt = RouteTiming(seq=seq)
    if not seq:
        rt.end = day.shift_start[k]
        return rt
    free, here, taken = day.shift_start[k], day.start_place[k], 0
    travel = lateness = max_late = continuity = 0.0
    staff_id = tk.problem.staff[k].id
    for i, t in enumerate(seq):
        start, taken, leg = _leg(day, k, free, here, taken, t, bound[t], rt.break_starts, i)
        travel += leg
        rt.late_before.append(lateness)
        late = rules.lateness(start, tk.latest[t], tk.counts_lateness[t])
        if late > 0.0:
            if w.hard_windows and late > TOLERANCE:
                rt.violations.append(f"{staff_id}: task {t} starts {late:.1f} min after its window")
            lateness += late
            max_late = max(max_late, late)
        continuity += tk.continuity_cost[t][k]
        rt.load += tk.demand[t]
        rt.starts.append(start)
        rt.breaks_after.append(taken)
        rt.travel_upto.append(travel)
        free, here = start + tk.duration[t], tk.place[t]
    end, leg, missed = _home(day, k, free, here, taken, rt.break_starts, len(seq))
    travel += leg
    if missed:
        rt.violations.append(f"{staff_id}: {missed} break(s) cannot be taken in their window")
    overtime = rules.overtime(end, day.shift_end[k])
    if w.hard_shift_end and overtime > TOLERANCE:
        rt.violations.append(f"{staff_id}: ends {overtime:.1f} min after the shift")
    max_work = day.max_work[k]
    if max_work is not None and end - day.shift_start[k] > max_work + TOLERANCE:
        rt.violations.append(f"{staff_id}: works over {max_work} min")
    capacity = day.capacity[k]
    if capacity is not None and rt.load > capacity:
        rt.violations.append(f"{staff_id}: load {rt.load} over capacity {capacity}")
    rt.travel, rt.lateness, rt.max_late, rt.end, rt.overtime = (
        travel,
        lateness,
        max_late,
        end,
        overtime,
    )
    rt.cost = rules.route_cost(
        travel,
        lateness,
        overtime,
        continuity,
        w.travel,
        w.lateness,
        w.overtime,
        w.staff_used,
        w.hard_shift_end,
        len(rt.violations),
        HARD_VIOLATION,
    )
    return rt


def insertion_cost(
    day: Day,
    k: int,
    rt: RouteTiming,
    bound: list[float],
    pos: int,
    t: int,
    t_bound: float,
    max_late: float,
) -> tuple[float, float] | None:
    """Extra cost and start of task ``t`` put at ``pos`` in route ``k``; None if that breaks a hard rule.

    Walks from ``pos`` only until the old timing is met again: after that the
    route is unchanged, so long routes cost little to price.
    """
    tk, w = day.tasks, day.weights
    seq = rt.seq
    capacity = day.capacity[k]
    if capacity is not None and rt.load + tk.demand[t] > capacity:
        return None
    if pos == 0:
        free, here, taken, travel, lateness = day.shift_start[k], day.start_place[k], 0, 0.0, 0.0
    else:
        p = seq[pos - 1]
        free, here = rt.starts[pos - 1] + tk.duration[p], tk.place[p]
        taken, travel = rt.breaks_after[pos - 1], rt.travel_upto[pos - 1]
        lateness = rt.late_before[pos - 1] + rules.lateness(
            rt.starts[pos - 1], tk.latest[p], tk.counts_lateness[p]
        )
    start_t, taken, leg = _leg(day, k, free, here, taken, t, t_bound, None, 0)
    late = rules.lateness(start_t, tk.latest[t], tk.counts_lateness[t])
    if late > 0.0:
        if w.hard_windows and late > TOLERANCE:
            return None
        lateness += late
    worst_late = max(late, 0.0)
    travel += leg
    free, here = start_t + tk.duration[t], tk.place[t]
    fixed = tk.continuity_cost[t][k] + (0.0 if seq else w.staff_used)
    for j in range(pos, len(seq)):
        u = seq[j]
        start, taken, leg = _leg(day, k, free, here, taken, u, bound[u], None, 0)
        travel += leg
        if abs(start - rt.starts[j]) <= 1e-9 and taken == rt.breaks_after[j]:
            # Back on the old timing: everything after j is as it was.
            delta = (
                w.travel * (travel - rt.travel_upto[j])
                + w.lateness * (lateness - rt.late_before[j])
                + w.max_lateness * max(0.0, worst_late - max_late)
                + fixed
            )
            return delta, start_t
        late = rules.lateness(start, tk.latest[u], tk.counts_lateness[u])
        if late > 0.0:
            if w.hard_windows and late > TOLERANCE:
                return None
            lateness += late
            worst_late = max(worst_late, late)
        free, here = start + tk.duration[u], tk.place[u]
    end, leg, missed = _home(day, k, free, here, taken, None, 0)
    if missed:
        return None
    travel += leg
    overtime = rules.overtime(end, day.shift_end[k])
    if w.hard_shift_end and overtime > TOLERANCE:
        return None
    max_work = day.max_work[k]
    if max_work is not None and end - day.shift_start[k] > max_work + TOLERANCE:
        return None
    delta = (
        w.travel * (travel - rt.travel)
        + w.lateness * (lateness - rt.lateness)
        + w.max_lateness * max(0.0, worst_late - max_late)
        + (0.0 if w.hard_shift_end else w.overtime * (overtime - rt.overtime))
        + fixed
    )
    return delta, start_t


@dataclass
class Evaluation:
    """Routes timed together, sync gaps met, and the total cost."""

    timings: list[RouteTiming]
    bound: list[float]
    cost: float
    max_late: float
    violations: list[str]
    unserved_penalty: float


def evaluate(
    day: Day,
    routes: list[list[int]],
    unassigned: list[int],
    floor: list[float] | None = None,
    pinned: Collection[int] = (),
) -> Evaluation:
    """Time every route, then raise sync bounds until every gap holds (or give up).

    ``floor`` is each task's earliest start; a ``pinned`` task (one that has
    started) must start exactly at its floor, or the routes break a hard rule.
    """
    tk, w = day.tasks, day.weights
    bound = list(floor) if floor is not None else [NO_BOUND] * tk.n
    timings = [time_route(day, k, seq, bound) for k, seq in enumerate(routes)]
    where: dict[int, tuple[int, int]] = {}
    for k, seq in enumerate(routes):
        for i, t in enumerate(seq):
            where[t] = (k, i)
    violations: list[str] = []
    active = [link for link in tk.links if link.first in where and link.second in where]
    for link in active:
        if link.apart and where[link.first][0] == where[link.second][0]:
            violations.append(f"tasks {link.first} and {link.second} must be on different routes")
    settled = not active
    for _ in range(MAX_SYNC_ROUNDS):
        if settled:
            break
        moved: set[int] = set()
        for link in active:
            ka, ia = where[link.first]
            kb, ib = where[link.second]
            sa, sb = timings[ka].starts[ia], timings[kb].starts[ib]
            if sb < sa + link.low - TOLERANCE:
                bound[link.second] = sa + link.low
                moved.add(kb)
            if sa < sb - link.high - TOLERANCE:
                bound[link.first] = sb - link.high
                moved.add(ka)
        for k in moved:
            timings[k] = time_route(day, k, routes[k], bound)
        settled = not moved
    if not settled:
        violations.append("sync gaps cannot all be met with these routes")
    if pinned and floor is not None:
        for k, seq in enumerate(routes):
            for i, t in enumerate(seq):
                if t in pinned and timings[k].starts[i] > floor[t] + TOLERANCE:
                    violations.append(f"task {t} has started and cannot move")
    max_late = max((rt.max_late for rt in timings), default=0.0)
    unserved_penalty = sum(tk.job_penalty[j] for j in unassigned)
    for rt in timings:
        violations.extend(rt.violations)
    cost = (
        sum(rt.cost for rt in timings)
        - HARD_VIOLATION * sum(len(rt.violations) for rt in timings)
        + w.max_lateness * max_late
        + unserved_penalty
        + HARD_VIOLATION * len(violations)
    )
    return Evaluation(timings, bound, cost, max_late, violations, unserved_penalty)
