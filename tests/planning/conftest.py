"""Shared fixtures: benchmark instances kept in the repository, and the project's own judge.

The instances the tests use are copied into ``tests/data/instances`` (see its SOURCE.md), so
the tests run on a plain clone. Plans are judged by ``wraparound.planning.validate``; its
verdicts are held to the independent checker's by ``test_validate.py``, against verdicts the
checker gave and that are kept beside the instances.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wraparound.planning.hhc_format import read_problem
from wraparound.planning.validate import judge

INSTANCES = Path(__file__).resolve().parents[1] / "data" / "instances"


def judge_report(instance: dict[str, Any], solution: dict[str, Any]) -> dict[str, Any]:
    return judge(read_problem(instance), solution).as_report()


@pytest.fixture(scope="session")
def checker() -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    return judge_report


@pytest.fixture(scope="session")
def load_instance() -> Callable[[str], dict[str, Any]]:
    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((INSTANCES / name).read_text())
        return data

    return load
