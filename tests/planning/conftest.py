"""Shared fixtures: the independent checker from ../shared/bench and small instances."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench"


def _load_checker() -> ModuleType | None:
    path = BENCH / "check.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("hhc_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def checker() -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    module = _load_checker()
    if module is None:
        pytest.skip("../shared/bench/check.py is not here")
    check: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] = module.check
    return check


@pytest.fixture(scope="session")
def load_instance() -> Callable[[str], dict[str, Any]]:
    def load(name: str) -> dict[str, Any]:
        path = BENCH / "instances" / name
        if not path.exists():
            pytest.skip(f"benchmark instance {name} is not here")
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    return load
