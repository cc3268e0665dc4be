"""``plan_day``: the one entry point that turns a problem into a plan."""

from __future__ import annotations

from wraparound.planning.assemble import assemble_plan
from wraparound.planning.model import Problem
from wraparound.planning.plan import Plan
from wraparound.planning.schedule import Day, evaluate
from wraparound.planning.search import Search, warm
from wraparound.planning.stop import FirstOf, MaxRuntime, StoppingCriterion
from wraparound.planning.tasks import Tasks


def plan_day(
    problem: Problem,
    time_limit: float = 10.0,
    seed: int = 0,
    *,
    stop: StoppingCriterion | None = None,
) -> Plan:
    """Plan the day within ``time_limit`` seconds.

    The same seed gives the same plan whenever the run ends on an iteration
    criterion passed as ``stop`` (for example ``MaxIterations``) rather than the
    clock. Plain vehicle-routing days (hard windows, no breaks, skills or sync)
    go to PyVRP, which is stronger there; everything else to our own search.
    """
    # Imported here so that care days, which never reach PyVRP, do not pay for loading it.
    from wraparound.planning import vrptw

    if vrptw.suits(problem):
        return vrptw.plan_with_pyvrp(problem, time_limit, seed, stop)
    warm()
    # The clock starts before the tasks and the first plan are built, so that
    # ``time_limit`` bounds the whole call, as it does for the peers we compare with.
    clock = MaxRuntime(time_limit)
    clock(0.0)
    criterion: StoppingCriterion = clock if stop is None else FirstOf(clock, stop)
    day = Day(Tasks(problem))
    search = Search(day, seed)
    start = search.construct()
    best = search.run(start, criterion)
    # The plan is re-timed by the reference schedule, which also names any broken rule.
    ev = evaluate(day, best.routes, best.unassigned)
    return assemble_plan(day, best.routes, ev, f"alns ({search.iterations} iterations)")
