"""insert_urgent: started and completed visits never move; the new visit is placed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wraparound.planning import MaxIterations, Plan, Visit, VisitStop, insert_urgent, plan_day
from wraparound.planning.hhc_format import read_problem, write_solution

Checker = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


@pytest.fixture(scope="module")
def morning(load_instance: Callable[[str], dict[str, Any]]) -> tuple[dict[str, Any], Plan]:
    instance = load_instance("community/community-8s-2.json")
    plan = plan_day(read_problem(instance), time_limit=30, seed=2, stop=MaxIterations(150))
    return instance, plan


def _started(plan: Plan, now: int) -> dict[str, list[tuple[str, float]]]:
    return {
        r.staff: [
            (s.visit, s.start) for s in r.stops if isinstance(s, VisitStop) and s.start <= now
        ]
        for r in plan.routes
    }


@pytest.mark.parametrize("now", [540, 660, 750, 840, 930])
def test_insert_urgent_never_moves_a_started_or_completed_visit(
    morning: tuple[dict[str, Any], Plan], now: int
) -> None:
    _, plan = morning
    urgent = Visit(
        "urgent-catheter",
        place=3,
        duration=30,
        earliest=now,
        latest=now + 120,
        skills=frozenset({"catheter"}),
    )
    after = insert_urgent(plan, urgent, now)
    before_started = _started(plan, now)
    for r in after.routes:
        kept = [(s.visit, s.start) for s in r.stops if isinstance(s, VisitStop)]
        assert kept[: len(before_started.get(r.staff, []))] == before_started.get(r.staff, [])
    for staff, started in before_started.items():
        if started:
            assert staff in {r.staff for r in after.routes}


def test_urgent_visit_is_served_no_earlier_than_now_and_passes_the_checker(
    morning: tuple[dict[str, Any], Plan], checker: Checker
) -> None:
    instance, plan = morning
    now = 700
    urgent = Visit("urgent-fall", place=10, duration=40, earliest=600, latest=now + 120)
    after = insert_urgent(plan, urgent, now)
    assert after.starts()["urgent-fall"] >= now
    instance = {
        **instance,
        "visits": [
            *instance["visits"],
            {"id": "urgent-fall", "location": 10, "duration": 40, "window": [600, now + 120]},
        ],
    }
    report = checker(instance, write_solution(after))
    assert report["feasible"], report["errors"]


def test_insert_urgent_keeps_a_started_visit_still_when_its_sync_partner_would_pull_it() -> None:
    from wraparound.planning import EuclideanTravel, ProblemBuilder

    b = ProblemBuilder(travel=EuclideanTravel(), name="sync-started")
    base = b.add_place(0, 0)
    home, nearby = b.add_place(10, 0), b.add_place(10, 5)
    b.add_staff("a", (480, 1000), start_place=base, skills=["bloods"])
    b.add_staff("b", (480, 1000), start_place=base, skills=["insulin"])
    b.add_visit("bloods", home, 15, (500, 700), skills=["bloods"])
    b.add_visit("insulin", home, 10, (500, 700), skills=["insulin"])
    b.add_sync("bloods", "insulin", 0, 5)
    plan = plan_day(b.build(), time_limit=2, seed=0, stop=MaxIterations(30))
    started = plan.starts()["bloods"]
    urgent = Visit(
        "urgent", nearby, 40, int(started), int(started) + 60, skills=frozenset({"insulin"})
    )
    after = insert_urgent(plan, urgent, int(started))
    assert after.starts()["bloods"] == started
    assert after.cost.feasible
