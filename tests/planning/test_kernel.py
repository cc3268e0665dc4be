"""The compiled kernel prices and times routes exactly as the reference schedule does.

The search runs on ``kernel`` (numba); the plan handed back is re-timed by
``schedule``. If the two disagreed, the search would optimise a different
objective from the one it reports, so they are held to the same numbers on
random routes over a day of each benchmark family.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from wraparound.planning import EuclideanTravel, ProblemBuilder, Weights, kernel
from wraparound.planning.hhc_format import read_problem
from wraparound.planning.schedule import NO_BOUND, Day, evaluate, insertion_cost
from wraparound.planning.search import Search
from wraparound.planning.tasks import Tasks

DAYS = ["mankowska/B1.json", "community/community-8s-2.json", "solomon/C101.json"]


def _random_routes(day: Day, rng: random.Random) -> tuple[list[list[int]], list[int]]:
    tk = day.tasks
    routes: list[list[int]] = [[] for _ in range(tk.k)]
    unassigned: list[int] = []
    for j, job in enumerate(tk.jobs):
        if rng.random() < 0.2:
            unassigned.append(j)
            continue
        ks = rng.sample(range(tk.k), len(job)) if len(job) <= tk.k else None
        if ks is None:
            unassigned.append(j)
            continue
        for t, k in zip(job, ks, strict=True):
            routes[k].insert(rng.randint(0, len(routes[k])), t)
    return routes, unassigned


@pytest.mark.parametrize("name", DAYS)
def test_kernel_costs_random_routes_as_the_reference_schedule_does(
    name: str, load_instance: Callable[[str], dict[str, Any]]
) -> None:
    day = Day(Tasks(read_problem(load_instance(name))))
    search = Search(day, 0)
    rng = random.Random(7)
    for _ in range(25):
        routes, unassigned = _random_routes(day, rng)
        reference = evaluate(day, routes, unassigned)
        fast = search.evaluate(routes, unassigned).ev
        assert fast.cost == pytest.approx(reference.cost, rel=1e-12, abs=1e-9)
        assert fast.max_late == pytest.approx(reference.max_late, abs=1e-9)
        for k, rt in enumerate(reference.timings):
            assert fast.timing.length[k] == len(rt.seq)
            assert list(fast.timing.starts[k, : len(rt.seq)]) == pytest.approx(rt.starts)
            assert fast.timing.cost[k] == pytest.approx(rt.cost)


@pytest.mark.parametrize("name", DAYS)
def test_kernel_prices_every_insertion_as_the_reference_schedule_does(
    name: str, load_instance: Callable[[str], dict[str, Any]]
) -> None:
    day = Day(Tasks(read_problem(load_instance(name))))
    tk = day.tasks
    search = Search(day, 0)
    rng = random.Random(11)
    checked = 0
    for _ in range(5):
        routes, unassigned = _random_routes(day, rng)
        reference = evaluate(day, routes, unassigned)
        fast = search.evaluate(routes, unassigned).ev
        for j in unassigned[:10]:
            t = tk.jobs[j][0]
            for k in tk.allowed[t]:
                rt = reference.timings[k]
                for pos in range(len(rt.seq) + 1):
                    want = insertion_cost(
                        day, k, rt, reference.bound, pos, t, NO_BOUND, reference.max_late
                    )
                    ok, cost, start = kernel.insertion(
                        search.static, fast.timing, fast.bound, k, pos, t, NO_BOUND, fast.max_late
                    )
                    assert ok == (want is not None)
                    if want is not None:
                        assert (cost, start) == pytest.approx(want)
                    checked += 1
    assert checked > 0


def test_cheapest_places_are_the_cheapest_of_all_priced_places(
    load_instance: Callable[[str], dict[str, Any]],
) -> None:
    day = Day(Tasks(read_problem(load_instance("mankowska/B1.json"))))
    tk = day.tasks
    search = Search(day, 0)
    routes, unassigned = _random_routes(day, random.Random(3))
    ev = search.evaluate(routes, unassigned).ev
    t = next(tk.jobs[j][0] for j in unassigned if len(tk.jobs[j]) == 1)
    places = search.cheapest_places(t, NO_BOUND, set(), ev.timing, ev.bound, ev.max_late, 4)
    every = []
    for k in tk.allowed[t]:
        for pos in range(int(ev.timing.length[k]) + 1):
            ok, cost, _ = kernel.insertion(
                search.static, ev.timing, ev.bound, k, pos, t, NO_BOUND, ev.max_late
            )
            if ok:
                every.append(cost)
    assert [p.cost for p in places] == pytest.approx(sorted(every)[:4])
    assert np.all(np.diff([p.cost for p in places]) >= 0)


def test_granular_search_still_tries_every_place_on_the_preferred_nurses_route() -> None:
    # The filter tries only places next to a visit's nearest tasks; a visit
    # that prefers a nurse must still be tried everywhere on her route, or
    # continuity would be lost whenever her round is far from the visit.
    b = ProblemBuilder(travel=EuclideanTravel(speed=1.0))
    b.set_weights(Weights(continuity=100.0))
    b.add_place(0, 0)
    b.add_staff("amy", (0, 1000))
    b.add_staff("bea", (0, 1000))
    for i in range(3):
        b.add_visit(f"near-{i}", b.add_place(1, i), 10, (0, 900))
        b.add_visit(f"far-{i}", b.add_place(50, i), 10, (0, 900))
    b.add_visit("insulin", b.add_place(2, 2), 10, (0, 900), preferred_staff=["bea"])
    day = Day(Tasks(b.build()))
    tk = day.tasks
    search = Search(day, 0)
    task = {tk.problem.visits[tk.visit_of[t]].id: t for t in range(tk.n)}
    routes = [[task[f"near-{i}"] for i in range(3)], [task[f"far-{i}"] for i in range(3)]]
    ev = search.evaluate(routes, [tk.job_of[task["insulin"]]]).ev
    nobody_near = np.zeros(tk.n, dtype=np.bool_)
    out = (np.empty(8), np.empty(8, dtype=np.int64), np.empty(8, dtype=np.int64), np.empty(8))
    found = kernel.cheapest(
        search.static,
        ev.timing,
        ev.bound,
        np.asarray(tk.allowed[task["insulin"]], dtype=np.int64),
        np.zeros(tk.k, dtype=np.bool_),
        np.zeros(tk.k, dtype=np.int64),
        nobody_near,
        task["insulin"],
        NO_BOUND,
        ev.max_late,
        8,
        *out,
    )
    assert found == 4  # every place on bea's route, none on amy's
    assert set(out[1][:found].tolist()) == {1}
