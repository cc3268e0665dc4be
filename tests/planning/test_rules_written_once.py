"""Each timing rule is written once (issue 14, item 5): the compiled search runs the very
functions the reference schedule runs, so a rule changed in ``planning/rules.py`` changes
both, and nowhere else spells the rule out again."""

from __future__ import annotations

import inspect
from pathlib import Path

from wraparound.planning import EuclideanTravel, ProblemBuilder, explain, plan_day, rules
from wraparound.planning.hhc_format import write_solution
from wraparound.planning.kernel import timing
from wraparound.planning.validate import judge

PLANNING = Path(rules.__file__).parent


def test_the_compiled_rules_are_the_reference_rules_themselves():
    compiled = {
        timing.window_opens: rules.window_opens,
        timing.start_at: rules.start_at,
        timing.break_on_the_way: rules.break_on_the_way,
        timing.break_on_the_way_home: rules.break_on_the_way_home,
        timing.lateness_of: rules.lateness,
        timing.overtime_of: rules.overtime,
        timing.route_cost: rules.route_cost,
    }
    for kernel_rule, rule in compiled.items():
        assert kernel_rule.py_func is rule


def test_no_timing_loop_spells_out_the_break_rule_again():
    # The break rule's test, "free in the waiting or the last chance", lives in rules.py only.
    spelled = "start + TOLERANCE or"
    for source in [PLANNING / "schedule.py", *sorted((PLANNING / "kernel").glob("*.py"))]:
        assert spelled not in source.read_text(), source
    assert spelled.replace("start", "start_b <= start") in inspect.getsource(rules) or (
        "start_b <= start + TOLERANCE or" in inspect.getsource(rules)
    )


def test_a_visit_held_to_one_person_goes_only_to_them_or_is_left_with_the_reason():
    builder = ProblemBuilder(EuclideanTravel())
    base, home = builder.add_place(0, 0), builder.add_place(3, 4)
    for staff in ("s1", "s2"):
        builder.add_staff(staff, (480, 1020), start_place=base, skills=["nursing"])
    builder.add_visit("v1", home, 30, (540, 600), skills=["nursing"], pinned_to="s2")
    builder.add_visit("v2", home, 30, (540, 600), skills=["nursing"], pinned_to="s9", penalty=50)
    problem = builder.build()
    plan = plan_day(problem, time_limit=0.5, seed=1)
    assert [r.staff for r in plan.routes if "v1" in r.visits] == ["s2"]
    assert plan.unserved == ("v2",)
    [why] = [e for e in explain(plan) if e.visit == "v2"]
    assert why.reason == "held to s9, who is not on duty"
    verdict = judge(problem, write_solution(plan))
    assert verdict.feasible, verdict.problems
    # The validator refuses the same visit given to someone else.
    moved = write_solution(plan)
    for route in moved["routes"]:  # the other nurse goes instead
        route["staff"] = "s1"
    assert any("held to s2" in p for p in judge(problem, moved).problems)
