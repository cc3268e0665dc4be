"""Plain vehicle routing with time windows, handed to PyVRP (see docs/adr/0001).

PyVRP's hybrid genetic search is state of the art on VRPTW, so a day with
nothing PyVRP cannot model (breaks, skills that split staff, double-handed
visits, sync gaps, soft windows, continuity, overtime) goes to it. The routes
it returns are re-timed by our own ``schedule`` so that every plan is costed
and checked the same way.
"""

from __future__ import annotations

import math
from typing import Any

import pyvrp
import pyvrp.stop

from wraparound.planning.assemble import assemble_plan
from wraparound.planning.model import Problem
from wraparound.planning.plan import Plan
from wraparound.planning.schedule import Day, evaluate
from wraparound.planning.stop import FirstOf, MaxIterations, StoppingCriterion
from wraparound.planning.tasks import Tasks

# PyVRP works in integers; without a rounding convention we keep hundredths.
DEFAULT_SCALE = 100


def suits(problem: Problem) -> bool:
    """Whether PyVRP can model the whole problem."""
    w = problem.weights
    if not (w.hard_windows and w.hard_shift_end) or problem.sync:
        return False
    if any(s.breaks for s in problem.staff):
        return False
    if any(v.staff_required != 1 for v in problem.visits):
        return False
    if w.continuity and any(v.preferred_staff for v in problem.visits):
        return False
    if any(v.pinned_to is not None for v in problem.visits):
        return False  # a visit held to one person is a skill only they have: not modelled
    every_skill = (
        frozenset.intersection(*(s.skills for s in problem.staff)) if problem.staff else frozenset()
    )
    return all(v.skills <= every_skill for v in problem.visits)


def _scale(problem: Problem) -> int:
    decimals = getattr(problem.travel, "decimals", None)
    return DEFAULT_SCALE if decimals is None else int(10**decimals)


def _iterations(stop: StoppingCriterion | None) -> int | None:
    if isinstance(stop, MaxIterations):
        return stop.iterations
    if isinstance(stop, FirstOf):
        found = [_iterations(c) for c in stop.criteria]
        return min((n for n in found if n is not None), default=None)
    return None


def plan_with_pyvrp(
    problem: Problem, time_limit: float, seed: int, stop: StoppingCriterion | None = None
) -> Plan:
    """Solve with PyVRP within ``time_limit``; repeatable when ``stop`` bounds the iterations."""
    day = Day(Tasks(problem))
    model, vehicle_staff = build_pyvrp_model(problem, day)
    criteria: list[Any] = [pyvrp.stop.MaxRuntime(time_limit)]
    iterations = _iterations(stop)
    if iterations is not None:
        criteria.append(pyvrp.stop.MaxIterations(iterations))
    result = model.solve(pyvrp.stop.MultipleCriteria(criteria), seed=seed, display=False)
    routes = routes_from_pyvrp(result.best, vehicle_staff, day)
    placed = {t for r in routes for t in r}
    unassigned = [j for j, job in enumerate(day.tasks.jobs) if job[0] not in placed]
    ev = evaluate(day, routes, unassigned)
    return assemble_plan(day, routes, ev, f"pyvrp ({result.num_iterations} iterations)")


def build_pyvrp_model(problem: Problem, day: Day) -> tuple[pyvrp.Model, list[list[int]]]:
    """A PyVRP model of the day, and the staff indices behind each vehicle type."""
    scale = _scale(problem)
    w = problem.weights
    model = pyvrp.Model()
    locations = [model.add_location(x, y) for x, y in problem.places]
    depots: dict[int, Any] = {}
    for s in problem.staff:
        for place in (s.start_place, s.end_place):
            if place not in depots:
                depots[place] = model.add_depot(locations[place])
    use_capacity = any(s.capacity is not None for s in problem.staff)
    big = sum(v.demand for v in problem.visits) + 1
    for v in problem.visits:
        model.add_client(
            locations[v.place],
            delivery=[v.demand] if use_capacity else [],
            service_duration=v.duration * scale,
            tw_early=v.earliest * scale,
            tw_late=v.latest * scale,
            required=v.mandatory,
            prize=0 if v.penalty is None else round(v.penalty * scale / max(w.travel, 1e-9)),
        )
    groups: dict[tuple[Any, ...], list[int]] = {}
    for k, s in enumerate(problem.staff):
        key = (s.start_place, s.end_place, s.shift_start, s.shift_end, s.max_work, s.capacity)
        groups.setdefault(key, []).append(k)
    vehicle_staff: list[list[int]] = []
    for (start, end, open_, close, max_work, capacity), members in groups.items():
        model.add_vehicle_type(
            num_available=len(members),
            capacity=([capacity if capacity is not None else big] if use_capacity else []),
            start_depot=depots[start],
            end_depot=depots[end],
            tw_early=open_ * scale,
            tw_late=close * scale,
            shift_duration=(max_work * scale if max_work is not None else 2**62),
            fixed_cost=round(w.staff_used * scale / max(w.travel, 1e-9)),
        )
        vehicle_staff.append(members)
    travel = day.tasks.travel
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            minutes = travel[i][j]
            # Durations round up so PyVRP never thinks a tight plan fits when it does not.
            model.add_edge(
                a, b, distance=round(minutes * scale), duration=math.ceil(minutes * scale - 1e-6)
            )
    return model, vehicle_staff


def routes_from_pyvrp(solution: Any, vehicle_staff: list[list[int]], day: Day) -> list[list[int]]:
    routes: list[list[int]] = [[] for _ in range(day.tasks.k)]
    next_free = [0] * len(vehicle_staff)
    for route in solution.routes():
        vtype = route.vehicle_type()
        k = vehicle_staff[vtype][next_free[vtype]]
        next_free[vtype] += 1
        routes[k] = [day.tasks.tasks_of_visit[a.idx][0] for a in route if a.is_client()]
    return routes
