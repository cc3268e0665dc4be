"""plan-instance: reads hhc-routing/1, writes a solution, and names the field on bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wraparound.planning.cli import main

Checker = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def test_plan_instance_writes_a_solution_the_checker_accepts(
    tmp_path: Path, checker: Checker, load_instance: Callable[[str], dict[str, Any]]
) -> None:
    instance = load_instance("mankowska/A2.json")
    src, out = tmp_path / "A2.json", tmp_path / "A2.solution.json"
    src.write_text(json.dumps(instance))
    assert main([str(src), "--time-limit", "1", "--seed", "3", "--out", str(out)]) == 0
    report = checker(instance, json.loads(out.read_text()))
    assert report["feasible"], report["errors"]


@pytest.mark.parametrize(
    ("breakage", "field"),
    [
        (lambda d: d["visits"][0].pop("window"), "visits[0].window"),
        (lambda d: d["staff"][1].update(shift=[600, "noon"]), "staff[1].shift"),
        (lambda d: d["travel"].update(kind="teleport"), "travel.kind"),
        (lambda d: d["visits"][2].update(duration=12.5), "visits[2].duration"),
    ],
)
def test_bad_instance_exits_2_naming_the_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    load_instance: Callable[[str], dict[str, Any]],
    breakage: Callable[[dict[str, Any]], object],
    field: str,
) -> None:
    instance = load_instance("mankowska/A1.json")
    breakage(instance)
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(instance))
    assert main([str(src), "--out", str(tmp_path / "out.json")]) == 2
    assert field in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_unreadable_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "broken.json"
    src.write_text("{not json")
    assert main([str(src), "--out", str(tmp_path / "o.json")]) == 2
    assert "instance" in capsys.readouterr().err
