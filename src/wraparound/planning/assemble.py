"""Turn timed routes into a ``Plan``, costed exactly as the benchmark checker costs it."""

from __future__ import annotations

from wraparound.planning.plan import BreakStop, Cost, Plan, Route, Stop, VisitStop
from wraparound.planning.schedule import Day, Evaluation


def assemble_plan(day: Day, routes: list[list[int]], ev: Evaluation, engine: str) -> Plan:
    tk, w = day.tasks, day.weights
    problem = tk.problem
    out: list[Route] = []
    served: dict[int, list[tuple[str, float]]] = {}
    travel = overtime = 0.0
    continuity = staff_used = 0
    for k, seq in enumerate(routes):
        rt = ev.timings[k]
        staff = problem.staff[k]
        if not seq:
            continue
        staff_used += 1
        stops: list[Stop] = []
        breaks = list(rt.break_starts)
        free, here = day.shift_start[k], day.start_place[k]
        for i, t in enumerate(seq):
            for _, b_start in [b for b in breaks if b[0] == i]:
                stops.append(BreakStop(b_start, _break_length(day, k, stops)))
            v = problem.visits[tk.visit_of[t]]
            start = rt.starts[i]
            arrival = free + tk.travel[here][tk.place[t]]
            stops.append(
                VisitStop(v.id, start, start + v.duration, arrival, max(0.0, start - v.latest))
            )
            served.setdefault(tk.visit_of[t], []).append((staff.id, start))
            if v.preferred_staff and staff.id not in v.preferred_staff:
                continuity += 1
            free, here = start + v.duration, tk.place[t]
        for _, b_start in [b for b in breaks if b[0] == len(seq)]:
            stops.append(BreakStop(b_start, _break_length(day, k, stops)))
        over = rt.overtime if not w.hard_shift_end else 0.0
        travel += rt.travel
        overtime += over
        out.append(Route(staff.id, tuple(stops), rt.travel, rt.end, rt.overtime))
    lateness = max_late = penalty = 0.0
    unserved: list[str] = []
    for vi, v in enumerate(problem.visits):
        if vi not in served:
            unserved.append(v.id)
            if v.penalty is not None:
                penalty += v.penalty
            continue
        late = max(0.0, min(s for _, s in served[vi]) - v.latest)
        lateness += late
        max_late = max(max_late, late)
    violations = list(ev.violations)
    violations += [
        f"mandatory visit {problem.visits[vi].id} not served"
        for vi in range(len(problem.visits))
        if problem.visits[vi].mandatory and vi not in served
    ]
    objective = (
        w.travel * travel
        + w.lateness * lateness
        + w.max_lateness * max_late
        + penalty
        + w.continuity * continuity
        + w.overtime * overtime
        + w.staff_used * staff_used
    )
    cost = Cost(
        objective=objective,
        travel=travel,
        lateness=lateness,
        max_lateness=max_late,
        unserved_penalty=penalty,
        continuity_misses=continuity,
        overtime=overtime,
        staff_used=staff_used,
        violations=tuple(violations),
    )
    return Plan(problem, tuple(out), tuple(unserved), cost, engine)


def _break_length(day: Day, k: int, stops: list[Stop]) -> int:
    # Breaks are taken in order, so the n-th break stop is the staff member's n-th break.
    taken = sum(1 for s in stops if isinstance(s, BreakStop))
    return int(day.breaks[k][taken][2])


def routes_from_plan(day: Day, plan: Plan) -> list[list[int]]:
    """The task sequence of each staff member in ``plan``, in ``day``'s task numbering."""
    tk = day.tasks
    visit_index = {v.id: i for i, v in enumerate(tk.problem.visits)}
    staff_index = {s.id: k for k, s in enumerate(tk.problem.staff)}
    routes: list[list[int]] = [[] for _ in range(tk.k)]
    copies_used: dict[int, int] = {}
    for r in plan.routes:
        k = staff_index[r.staff]
        for vid in r.visits:
            vi = visit_index[vid]
            copy = copies_used.get(vi, 0)
            copies_used[vi] = copy + 1
            routes[k].append(tk.tasks_of_visit[vi][copy])
    return routes
