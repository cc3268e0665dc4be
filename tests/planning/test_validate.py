"""The project's own judge agrees with the independent checker, verdict for verdict.

``tests/data/judged.json`` holds 30 solutions (the planner's plans for five benchmark days,
and five deliberate breakages of each) with the verdicts the independent checker
(``check.py``, kept outside the repository) gave them. Our judge must reach the same verdict,
the same objective and the same number of problems, so a test here that says "feasible" means
what the benchmarks' judge would mean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.planning.conftest import INSTANCES

from wraparound.planning.hhc_format import read_problem
from wraparound.planning.validate import judge

JUDGED = json.loads((Path(__file__).resolve().parents[1] / "data" / "judged.json").read_text())


@pytest.mark.parametrize("case", JUDGED, ids=[c["case"] for c in JUDGED])
def test_our_judge_reaches_the_independent_checkers_verdict(case):
    problem = read_problem(json.loads((INSTANCES / case["instance"]).read_text()))
    verdict = judge(problem, case["solution"])
    report = verdict.as_report()
    assert report["feasible"] is case["feasible"], verdict.problems
    assert report["objective"] == pytest.approx(case["objective"], abs=1e-6)
    assert report["error_count"] == case["error_count"], verdict.problems
    assert report["components"] == pytest.approx(case["components"], abs=1e-6)


def _one_visit_day(**visit):
    return read_problem(
        {
            "format": "hhc-routing/1",
            "name": "one visit",
            "travel": {"kind": "euclidean", "speed": 1.0},
            "locations": [[0, 0], [10, 0]],
            "staff": [
                {
                    "id": "s1",
                    "start_location": 0,
                    "end_location": 0,
                    "shift": [0, 100],
                    "skills": ["nurse"],
                    "breaks": [{"window": [40, 60], "duration": 15}],
                }
            ],
            "visits": [{"id": "v1", "location": 1, "duration": 20, "window": [0, 50], **visit}],
        }
    )


def _route(*stops):
    return {"routes": [{"staff": "s1", "stops": list(stops)}]}


def test_a_plan_that_keeps_every_rule_is_feasible_and_costs_its_travel():
    verdict = judge(
        _one_visit_day(), _route({"visit": "v1", "start": 10}, {"break": True, "start": 40})
    )
    assert verdict.feasible, verdict.problems
    assert verdict.objective == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("visit", "stops", "words"),
    [
        ({}, [{"visit": "v1", "start": 5}, {"break": True, "start": 40}], "before arriving"),
        ({}, [{"visit": "v1", "start": 60}, {"break": True, "start": 80}], "after its window"),
        (
            {"skills": ["phlebotomy"]},
            [{"visit": "v1", "start": 10}, {"break": True, "start": 40}],
            "lacks ['phlebotomy']",
        ),
        ({}, [{"visit": "v1", "start": 10}], "break(s) not taken"),
        ({}, [{"visit": "v1", "start": 10}, {"break": True, "start": 20}], "before the stop"),
        ({}, [{"break": True, "start": 40}], "must be visited today"),
        (
            {"staff_required": 2},
            [{"visit": "v1", "start": 10}, {"break": True, "start": 40}],
            "needs 2",
        ),
    ],
)
def test_each_broken_rule_is_named(visit, stops, words):
    verdict = judge(_one_visit_day(**visit), _route(*stops))
    assert not verdict.feasible
    assert any(words in problem for problem in verdict.problems), verdict.problems
