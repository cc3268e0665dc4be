"""``insert_urgent``: fit a new visit into a day that is already under way."""

from __future__ import annotations

from dataclasses import replace

from wraparound.planning.assemble import assemble_plan, routes_from_plan
from wraparound.planning.model import ProblemError, Visit
from wraparound.planning.plan import Plan, VisitStop
from wraparound.planning.schedule import Day, evaluate
from wraparound.planning.search import Search, warm
from wraparound.planning.stop import MaxRuntime
from wraparound.planning.tasks import HARD_VIOLATION, Tasks


def insert_urgent(
    plan: Plan, visit: Visit, now: int, *, time_limit: float = 0.5, seed: int = 0
) -> Plan:
    """The plan with ``visit`` added, as of minute ``now``.

    Visits that have started or are done (start <= now) keep their staff, order
    and times. First the new visit is put at its cheapest place with every other
    route left in its order; only if that breaks a hard rule does a short search
    (``time_limit`` seconds) move visits that have not started yet.
    """
    warm()
    problem = plan.problem
    if any(v.id == visit.id for v in problem.visits):
        raise ProblemError(f"visit {visit.id}.id", "is already in the plan")
    grown = replace(problem, visits=(*problem.visits, visit))
    day = Day(Tasks(grown))
    tk = day.tasks
    routes = routes_from_plan(day, plan)
    staff_index = {s.id: k for k, s in enumerate(grown.staff)}
    fixed = [0] * tk.k
    floor = [float(now)] * tk.n
    for r in plan.routes:
        k = staff_index[r.staff]
        started = [s for s in r.stops if isinstance(s, VisitStop) and s.start <= now]
        fixed[k] = len(started)
        for i, s in enumerate(started):
            floor[routes[k][i]] = s.start
    locked = {tk.job_of[routes[k][i]] for k in range(tk.k) for i in range(fixed[k])}
    placed = {t for r in routes for t in r}
    new_job = tk.job_of[tk.tasks_of_visit[len(grown.visits) - 1][0]]
    waiting = [j for j, job in enumerate(tk.jobs) if job[0] not in placed and j != new_job]

    pinned = {routes[k][i] for k in range(tk.k) for i in range(fixed[k])}
    # One visit to place: try every place, not only those near its neighbours.
    search = Search(
        day, seed, fixed=fixed, locked=locked, floor=floor, pinned=pinned, granular=False
    )
    before = search.evaluate(routes, [*waiting, new_job])
    left = search.repair(before, [new_job])
    after = search.evaluate(before.routes, sorted(waiting + left))
    if after.cost >= HARD_VIOLATION:
        after = search.run(after, MaxRuntime(time_limit))
    ev = evaluate(day, after.routes, after.unassigned, floor, pinned)
    return assemble_plan(day, after.routes, ev, f"insert_urgent ({search.iterations} iterations)")
