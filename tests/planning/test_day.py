"""plan_day on hand-made days whose right answer is known, and on small benchmark days."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wraparound.planning import (
    Break,
    BreakStop,
    EuclideanTravel,
    MaxIterations,
    Plan,
    ProblemBuilder,
    VisitStop,
    Weights,
    plan_day,
)
from wraparound.planning.hhc_format import read_problem, write_solution

Checker = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def _builder() -> ProblemBuilder:
    b = ProblemBuilder(travel=EuclideanTravel(speed=1.0), name="hand-made")
    b.add_place(0, 0)  # 0: the base
    return b


def _staff_of(plan: Plan, visit: str) -> list[str]:
    return [r.staff for r in plan.routes if visit in r.visits]


def _stop(plan: Plan, staff: str, visit: str) -> VisitStop:
    for s in plan.route_of(staff).stops:
        if isinstance(s, VisitStop) and s.visit == visit:
            return s
    raise AssertionError(f"{visit} not on {staff}'s route")


def test_visit_needing_a_skill_goes_to_the_only_nurse_who_has_it() -> None:
    b = _builder()
    near, far = b.add_place(1, 0), b.add_place(30, 0)
    b.add_staff("nurse", (480, 1000), skills=["wound_complex"])
    b.add_staff("carer", (480, 1000))
    b.add_visit("dressing", near, 20, (480, 900), skills=["wound_complex"])
    b.add_visit("wash", far, 20, (480, 900))
    plan = plan_day(b.build(), time_limit=2, seed=1, stop=MaxIterations(50))
    assert _staff_of(plan, "dressing") == ["nurse"]
    assert plan.cost.feasible


def test_break_is_taken_in_its_window_and_delays_the_next_visit() -> None:
    b = _builder()
    first, second = b.add_place(10, 0), b.add_place(20, 0)
    b.add_staff("rn", (480, 1000), breaks=[Break(720, 760, 30)])
    b.add_visit("early", first, 20, (700, 710))
    b.add_visit("after-lunch", second, 20, (750, 800))
    plan = plan_day(b.build(), time_limit=2, seed=1, stop=MaxIterations(50))
    stops = plan.route_of("rn").stops
    breaks = [s for s in stops if isinstance(s, BreakStop)]
    assert len(breaks) == 1 and 720 <= breaks[0].start <= 760
    # Known answer: "after-lunch" would end past 760, the break's latest start, so the
    # break goes first: "early" ends at 720, the break runs 720-750, travel 10 -> 760.
    assert _stop(plan, "rn", "early").start == 700
    assert _stop(plan, "rn", "after-lunch").start == pytest.approx(760)


def test_double_handed_visit_gets_two_staff_starting_together() -> None:
    b = _builder()
    home, other = b.add_place(5, 5), b.add_place(-20, 3)
    for sid in ("a", "b", "c"):
        b.add_staff(sid, (480, 1000))
    b.add_visit("hoist", home, 45, (600, 620), staff_required=2)
    b.add_visit("insulin", other, 10, (590, 640))
    plan = plan_day(b.build(), time_limit=2, seed=3, stop=MaxIterations(50))
    who = _staff_of(plan, "hoist")
    assert len(set(who)) == 2
    starts = {_stop(plan, s, "hoist").start for s in who}
    assert len(starts) == 1 and 600 <= starts.pop() <= 620


def test_sync_gap_orders_two_visits_to_the_same_patient() -> None:
    b = _builder()
    home = b.add_place(8, 0)
    b.add_staff("a", (480, 1000), skills=["bloods"])
    b.add_staff("b", (480, 1000), skills=["insulin"])
    b.add_visit("bloods", home, 15, (480, 700), skills=["bloods"])
    b.add_visit("insulin", home, 10, (480, 700), skills=["insulin"])
    b.add_sync("bloods", "insulin", 30, 45)
    plan = plan_day(b.build(), time_limit=2, seed=0, stop=MaxIterations(50))
    starts = plan.starts()
    assert 30 <= starts["insulin"] - starts["bloods"] <= 45


def test_optional_visit_waits_until_tomorrow_when_it_costs_more_than_its_penalty() -> None:
    b = _builder()
    far = b.add_place(300, 0)
    b.add_staff("a", (480, 1000))
    b.add_visit("review", far, 30, (480, 1000), penalty=50)
    b.set_weights(Weights(travel=1.0))
    plan = plan_day(b.build(), time_limit=2, seed=0, stop=MaxIterations(20))
    assert plan.unserved == ("review",)
    assert plan.cost.objective == pytest.approx(50)


def test_same_seed_gives_the_same_plan(load_instance: Callable[[str], dict[str, Any]]) -> None:
    problem = read_problem(load_instance("community/community-8s-2.json"))
    one = plan_day(problem, time_limit=30, seed=7, stop=MaxIterations(150))
    two = plan_day(problem, time_limit=30, seed=7, stop=MaxIterations(150))
    assert write_solution(one) == write_solution(two)
    assert one.cost == two.cost


@pytest.mark.parametrize(
    ("name", "seconds"),
    [
        ("mankowska/A1.json", 1.0),
        ("mankowska/B3.json", 1.0),
        ("community/community-8s-1.json", 2.0),
        ("community/community-8s-3.json", 2.0),
    ],
)
def test_plans_for_small_benchmark_days_pass_the_checker(
    name: str,
    seconds: float,
    checker: Checker,
    load_instance: Callable[[str], dict[str, Any]],
) -> None:
    instance = load_instance(name)
    plan = plan_day(read_problem(instance), time_limit=seconds, seed=1)
    report = checker(instance, write_solution(plan))
    assert report["feasible"], report["errors"]
    assert report["objective"] == pytest.approx(plan.cost.objective, abs=1e-3)


def test_plan_for_a_small_solomon_day_passes_the_checker(
    checker: Checker, load_instance: Callable[[str], dict[str, Any]]
) -> None:
    instance = load_instance("solomon/R101.json")
    kept = {f"c{i}" for i in range(1, 26)}
    instance["visits"] = [v for v in instance["visits"] if v["id"] in kept]
    instance.pop("best_known", None)
    plan = plan_day(read_problem(instance), time_limit=1, seed=1)
    assert plan.engine.startswith("pyvrp")
    report = checker(instance, write_solution(plan))
    assert report["feasible"], report["errors"]
    assert report["objective"] == pytest.approx(plan.cost.objective, abs=1e-3)
