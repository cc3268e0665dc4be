"""The peers we measure against, each modelling what it can of a day and saying what it dropped.

Every peer returns task sequences per staff member; the harness times them
with the same earliest-start schedule as our planner (PyVRP, OR-Tools and VROOM
each have their own notion of where a break falls, which the checker's
break-on-the-way rule does not share), writes hhc-routing/1 and lets
../shared/bench/check.py judge.
"""

from __future__ import annotations

import itertools
import math
from datetime import timedelta
from typing import Any

from wraparound.planning.model import Problem
from wraparound.planning.schedule import Day

Routes = list[list[int]]


def _scale(problem: Problem) -> int:
    decimals = getattr(problem.travel, "decimals", None)
    return 10 if decimals is None else int(10**decimals)


def _dropped(problem: Problem, supported: set[str]) -> list[str]:
    w = problem.weights
    present = {
        "skills": any(v.skills for v in problem.visits),
        "breaks": any(s.breaks for s in problem.staff),
        "soft windows": not w.hard_windows,
        "overtime": not w.hard_shift_end,
        "double-handed": any(v.staff_required == 2 for v in problem.visits),
        "sync gaps": bool(problem.sync),
        "continuity": bool(w.continuity) and any(v.preferred_staff for v in problem.visits),
        "max lateness": bool(w.max_lateness),
        "optional visits": any(v.penalty is not None for v in problem.visits),
        "max_work": any(s.max_work is not None for s in problem.staff),
    }
    return sorted(k for k, here in present.items() if here and k not in supported)


# -- PyVRP ------------------------------------------------------------------
def solve_pyvrp(
    problem: Problem, day: Day, time_limit: float, seed: int
) -> tuple[Routes, list[str]]:
    import pyvrp
    import pyvrp.stop

    tk, w, scale = day.tasks, problem.weights, _scale(problem)
    supported = {"overtime", "optional visits", "max_work"}
    model = pyvrp.Model()
    locations = [model.add_location(x, y) for x, y in problem.places]
    depots: dict[int, Any] = {}
    for s in problem.staff:
        for place in (s.start_place, s.end_place):
            if place not in depots:
                depots[place] = model.add_depot(locations[place])
    horizon = 10 * max(s.shift_end for s in problem.staff) * scale
    use_capacity = any(s.capacity is not None for s in problem.staff)
    big = sum(v.demand for v in problem.visits) + 1
    # One client per visit: a double-handed visit gets one person (dropped). Soft
    # windows are given as they are: PyVRP prices lateness as time warp and may
    # return a plan with some, which the shared timing turns into lateness.
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
    members: list[list[int]] = []
    groups: dict[tuple[Any, ...], list[int]] = {}
    for k, s in enumerate(problem.staff):
        groups.setdefault(
            (s.start_place, s.end_place, s.shift_start, s.shift_end, s.max_work, s.capacity), []
        ).append(k)
    for (start, end, open_, close, max_work, capacity), ks in groups.items():
        overtime = (
            {}
            if w.hard_shift_end
            else {
                "max_overtime": horizon,
                "unit_overtime_cost": round(w.overtime / max(w.travel, 1e-9)),
            }
        )
        model.add_vehicle_type(
            num_available=len(ks),
            capacity=([capacity if capacity is not None else big] if use_capacity else []),
            start_depot=depots[start],
            end_depot=depots[end],
            tw_early=open_ * scale,
            tw_late=close * scale,
            shift_duration=(max_work * scale if max_work is not None else 2**62),
            **overtime,
        )
        members.append(ks)
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            minutes = tk.travel[i][j]
            model.add_edge(
                a, b, distance=round(minutes * scale), duration=math.ceil(minutes * scale - 1e-6)
            )
    result = model.solve(pyvrp.stop.MaxRuntime(time_limit), seed=seed, display=False)
    routes: Routes = [[] for _ in range(tk.k)]
    used = [0] * len(members)
    for route in result.best.routes():
        vt = route.vehicle_type()
        k = members[vt][used[vt]]
        used[vt] += 1
        routes[k] = [tk.tasks_of_visit[a.idx][0] for a in route if a.is_client()]
    return routes, _dropped(problem, supported)


# -- OR-Tools routing ---------------------------------------------------------
# Costs are integers in OR-Tools: minutes x scale x COST_FACTOR, so that the
# Mankowska weights of 1/3 stay exact.
COST_FACTOR = 3


def solve_ortools(
    problem: Problem, day: Day, time_limit: float, seed: int
) -> tuple[Routes, list[str]]:
    """OR-Tools with the day as it is: soft windows and overtime as soft cumul bounds."""
    return _solve_ortools(problem, day, time_limit, hard_windows=problem.weights.hard_windows)


def solve_ortools_hard(
    problem: Problem, day: Day, time_limit: float, seed: int
) -> tuple[Routes, list[str]]:
    """OR-Tools the way it is often deployed: windows hard, every visit droppable.

    Soft windows with large lateness weights and break intervals leave OR-Tools'
    local search stuck near its first solution; hard windows plus a very large
    penalty for dropping a mandatory visit is the common workaround. Lateness
    is then never chosen, so this is a restriction of the day, which the
    checker judges as it is.
    """
    routes, dropped = _solve_ortools(
        problem, day, time_limit, hard_windows=True, all_droppable=True
    )
    if not problem.weights.hard_windows:
        dropped = sorted({*dropped, "soft windows (made hard)"})
    return routes, dropped


def _solve_ortools(
    problem: Problem,
    day: Day,
    time_limit: float,
    *,
    hard_windows: bool,
    all_droppable: bool = False,
) -> tuple[Routes, list[str]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    tk, w, scale = day.tasks, problem.weights, _scale(problem)
    supported = {
        "skills",
        "breaks",
        "soft windows",
        "overtime",
        "double-handed",
        "sync gaps",
        "optional visits",
        "max_work",
    }
    n_tasks = tk.n
    depot_places = sorted(
        {s.start_place for s in problem.staff} | {s.end_place for s in problem.staff}
    )
    node_place = list(tk.place) + depot_places
    depot_node = {p: n_tasks + i for i, p in enumerate(depot_places)}
    starts = [depot_node[s.start_place] for s in problem.staff]
    ends = [depot_node[s.end_place] for s in problem.staff]
    manager = pywrapcp.RoutingIndexManager(len(node_place), tk.k, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    service = [round(tk.duration[t] * scale) for t in range(n_tasks)] + [0] * len(depot_places)
    leg = [
        [math.ceil(tk.travel[a][b] * scale - 1e-6) for b in range(len(tk.travel))]
        for a in range(len(tk.travel))
    ]
    arc = [
        [round(tk.travel[a][b] * scale * w.travel * COST_FACTOR) for b in range(len(tk.travel))]
        for a in range(len(tk.travel))
    ]

    def transit(i: int, j: int) -> int:
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return service[a] + leg[node_place[a]][node_place[b]]

    def cost(i: int, j: int) -> int:
        return arc[node_place[manager.IndexToNode(i)]][node_place[manager.IndexToNode(j)]]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    horizon = 3 * max(s.shift_end for s in problem.staff) * scale
    routing.AddDimension(routing.RegisterTransitCallback(transit), horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    solver = routing.solver()
    for t in range(n_tasks):
        idx = manager.NodeToIndex(t)
        lo, hi = round(tk.earliest[t] * scale), round(tk.latest[t] * scale)
        time.CumulVar(idx).SetRange(lo, hi if hard_windows else horizon)
        if not hard_windows and tk.counts_lateness[t] and w.lateness:
            time.SetCumulVarSoftUpperBound(idx, hi, round(w.lateness * COST_FACTOR))
        # SetAllowedVehiclesForIndex does not accept a Python list in ortools 9.15.
        barred = sorted(set(range(tk.k)) - set(tk.allowed[t]))
        if barred:
            routing.VehicleVar(idx).RemoveValues(barred)
    for j, job in enumerate(tk.jobs):
        penalty = tk.job_penalty[j]
        if penalty < 1_000_000 or all_droppable:
            indices = [manager.NodeToIndex(t) for t in job]
            routing.AddDisjunction(indices, round(penalty * scale * COST_FACTOR), len(indices))
            for a, b in itertools.pairwise(indices):
                solver.Add(routing.ActiveVar(a) == routing.ActiveVar(b))
    for link in tk.links:
        a, b = manager.NodeToIndex(link.first), manager.NodeToIndex(link.second)
        ca, cb = time.CumulVar(a), time.CumulVar(b)
        solver.Add(cb - ca >= round(link.low * scale))
        solver.Add(cb - ca <= round(link.high * scale))
        solver.Add(
            solver.IsDifferentVar(routing.VehicleVar(a), routing.VehicleVar(b))
            + 1
            - routing.ActiveVar(a)
            >= 1
        )
    if any(s.capacity is not None for s in problem.staff):
        big = sum(tk.demand) + 1
        demand = [tk.demand[t] for t in range(n_tasks)] + [0] * len(depot_places)
        load = routing.RegisterUnaryTransitCallback(lambda i: demand[manager.IndexToNode(i)])
        routing.AddDimensionWithVehicleCapacity(
            load,
            0,
            [s.capacity if s.capacity is not None else big for s in problem.staff],
            True,
            "load",
        )
    visit_transit = [0] * routing.Size()
    for index in range(routing.Size()):
        node = manager.IndexToNode(index)
        visit_transit[index] = service[node]
    for k, s in enumerate(problem.staff):
        time.CumulVar(routing.Start(k)).SetRange(s.shift_start * scale, s.shift_start * scale)
        end = time.CumulVar(routing.End(k))
        if w.hard_shift_end:
            end.SetMax(s.shift_end * scale)
        elif w.overtime:
            time.SetCumulVarSoftUpperBound(
                routing.End(k), s.shift_end * scale, round(w.overtime * COST_FACTOR)
            )
        if s.max_work is not None:
            time.SetSpanUpperBoundForVehicle(s.max_work * scale, k)
        if s.breaks:
            intervals = [
                solver.FixedDurationIntervalVar(
                    b.earliest * scale,
                    b.latest * scale,
                    b.duration * scale,
                    False,
                    f"break {s.id} {i}",
                )
                for i, b in enumerate(s.breaks)
            ]
            time.SetBreakIntervalsOfVehicle(intervals, k, visit_transit)
    params = pywrapcp.DefaultRoutingSearchParameters()
    # PATH_CHEAPEST_ARC + GLS was the best of the first-solution strategies
    # (parallel/local/sequential cheapest insertion, savings) and metaheuristics
    # (GLS, SA, tabu, greedy descent) we tried on community-8s-2 (docs/adr/0001).
    # With breaks, PATH_CHEAPEST_ARC; without (plain VRPTW), parallel cheapest insertion,
    # which finds a first solution on the tight Solomon R1/RC1 days where the other does not.
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
        if any(s.breaks for s in problem.staff)
        else routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    routes: Routes = [[] for _ in range(tk.k)]
    if solution is None:
        return routes, [*_dropped(problem, supported), "no solution found in time"]
    for k in range(tk.k):
        index = routing.Start(k)
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node < n_tasks:
                routes[k].append(node)
            index = solution.Value(routing.NextVar(index))
    return routes, _dropped(problem, supported)


# -- VROOM ----------------------------------------------------------------------
def solve_vroom(
    problem: Problem, day: Day, time_limit: float, seed: int
) -> tuple[Routes, list[str]]:
    import vroom

    tk, w, scale = day.tasks, problem.weights, _scale(problem)
    supported = {"skills", "breaks", "optional visits"}
    skill_ids: dict[str, int] = {}
    for s in problem.staff:
        for sk in sorted(s.skills):
            skill_ids.setdefault(sk, len(skill_ids) + 1)
    for v in problem.visits:
        for sk in sorted(v.skills):
            skill_ids.setdefault(sk, len(skill_ids) + 1)
    horizon = 3 * max(s.shift_end for s in problem.staff) * scale
    inp = vroom.Input()
    inp.set_durations_matrix(
        "car", [[math.ceil(x * scale - 1e-6) for x in row] for row in tk.travel]
    )
    use_capacity = any(s.capacity is not None for s in problem.staff)
    big = sum(v.demand for v in problem.visits) + 1
    for k, s in enumerate(problem.staff):
        inp.add_vehicle(
            vroom.Vehicle(
                k + 1,
                start=s.start_place,
                end=s.end_place,
                capacity=[s.capacity if s.capacity is not None else big] if use_capacity else [],
                skills={skill_ids[x] for x in s.skills},
                # Overtime is dropped: a soft shift end becomes an open end.
                time_window=vroom.TimeWindow(
                    s.shift_start * scale,
                    (s.shift_end if w.hard_shift_end else horizon // scale) * scale,
                ),
                breaks=[
                    vroom.Break(
                        i + 1,
                        time_windows=[vroom.TimeWindow(b.earliest * scale, b.latest * scale)],
                        service=b.duration * scale,
                    )
                    for i, b in enumerate(s.breaks)
                ],
                max_travel_time=None,
            )
        )
    for vi, v in enumerate(problem.visits):
        # VROOM may leave any job out; priority asks it to keep the mandatory ones.
        inp.add_job(
            vroom.Job(
                vi + 1,
                location=v.place,
                default_service=v.duration * scale,
                delivery=vroom.Amount([v.demand] if use_capacity else []),
                skills={skill_ids[x] for x in v.skills},
                priority=100 if v.mandatory else min(99, int(v.penalty or 0) // 10),
                # Soft windows are given as hard ones: an open end lets VROOM put
                # the whole day on one person, which is worse than leaving some out.
                time_windows=[vroom.TimeWindow(v.earliest * scale, v.latest * scale)],
            )
        )
    solution = inp.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=time_limit))
    routes: Routes = [[] for _ in range(tk.k)]
    frame = solution.routes
    for _, row in frame.iterrows():
        if row["type"] == "job":
            routes[int(row["vehicle_id"]) - 1].append(tk.tasks_of_visit[int(row["id"]) - 1][0])
    return routes, _dropped(problem, supported)


PEERS = {
    "pyvrp": solve_pyvrp,
    "ortools": solve_ortools,
    "ortools-hard": solve_ortools_hard,
    "vroom": solve_vroom,
}
