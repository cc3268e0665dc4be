"""explain: every unserved or late visit gets a reason a coordinator can act on."""

from __future__ import annotations

from wraparound.planning import (
    EuclideanTravel,
    MaxIterations,
    ProblemBuilder,
    Weights,
    explain,
    plan_day,
)


def test_visit_nobody_is_skilled_for_is_explained_by_the_missing_skill() -> None:
    b = ProblemBuilder(travel=EuclideanTravel())
    base = b.add_place(0, 0)
    b.add_staff("hca", (480, 960), start_place=base, skills=["bloods"])
    b.add_visit("picc-line", b.add_place(3, 4), 30, (480, 900), skills=["iv"], penalty=100)
    plan = plan_day(b.build(), time_limit=1, seed=0, stop=MaxIterations(10))
    [why] = explain(plan)
    assert why.visit == "picc-line" and why.status == "unserved"
    assert "iv" in why.reason


def test_late_visit_is_explained_by_when_the_nurse_arrives() -> None:
    b = ProblemBuilder(travel=EuclideanTravel())
    base = b.add_place(0, 0)
    b.add_staff("rn", (480, 960), start_place=base)
    b.add_visit("first", b.add_place(10, 0), 60, (480, 500))
    b.add_visit("second", b.add_place(20, 0), 10, (480, 520))
    b.set_weights(Weights(travel=1.0, lateness=1.0, hard_windows=False, hard_shift_end=False))
    plan = plan_day(b.build(), time_limit=1, seed=0, stop=MaxIterations(20))
    late = [e for e in explain(plan) if e.status == "late"]
    assert len(late) == 1
    assert "arrives" in late[0].reason


def test_optional_visit_left_for_tomorrow_is_explained_by_its_cost() -> None:
    b = ProblemBuilder(travel=EuclideanTravel())
    b.add_place(0, 0)
    b.add_staff("rn", (480, 960))
    b.add_visit("review", b.add_place(200, 0), 30, (480, 900), penalty=50)
    plan = plan_day(b.build(), time_limit=1, seed=0, stop=MaxIterations(10))
    [why] = explain(plan)
    assert "tomorrow" in why.reason
