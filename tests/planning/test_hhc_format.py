"""hhc-routing/1: what we read is what the file says; what we write the checker reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wraparound.planning import GreatCircleTravel, MatrixTravel
from wraparound.planning.hhc_format import read_problem


def test_community_day_reads_staff_breaks_and_double_handed_visits(
    load_instance: Callable[[str], dict[str, Any]],
) -> None:
    raw = load_instance("community/community-8s-1.json")
    problem = read_problem(raw)
    assert isinstance(problem.travel, GreatCircleTravel)
    assert problem.travel.circuity == 1.35 and problem.travel.decimals == 1
    assert len(problem.staff) == len(raw["staff"])
    assert problem.staff[0].breaks[0].duration == 30
    assert any(v.staff_required == 2 for v in problem.visits)
    assert not problem.weights.hard_windows


def test_mankowska_day_reads_the_matrix_and_sync_gaps(
    load_instance: Callable[[str], dict[str, Any]],
) -> None:
    problem = read_problem(load_instance("mankowska/A1.json"))
    assert isinstance(problem.travel, MatrixTravel)
    assert {(g.min_gap, g.max_gap) for g in problem.sync} >= {(0, 0)}
    assert problem.weights.max_lateness == pytest.approx(1 / 3)


def test_unknown_format_is_refused_by_name() -> None:
    from wraparound.planning import ProblemError

    with pytest.raises(ProblemError) as e:
        read_problem({"format": "hhc-routing/9", "locations": [], "staff": [], "visits": []})
    assert e.value.field == "format"
