"""The clinical hazard log is checked like code: every hazard has its fields and controls,
every control names a test, and every named test exists (docs/safety/hazard-log.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
FIELDS = (
    "Cause",
    "Effect",
    "Severity",
    "Likelihood before",
    "Risk before",
    "Likelihood after",
    "Risk after",
)
# The hazards the safety case must cover at least (issue 11).
REQUIRED = (
    "urgent referral is routed",
    "urgent referral is lost",
    "referral has no holder",
    "visit is dropped from a published plan",
    "outcome is recorded wrongly",
    "wrong person is identified",
    "stale capacity is shown as live",
    "consent is ignored",
    "clocks are wrong across a clock change",
    "planner leaves an urgent visit unserved",
)


def _hazards() -> dict[str, str]:
    text = LOG.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    return {part.splitlines()[0]: part for part in parts}


def _tests_by_name() -> dict[str, list[Path]]:
    """Every test function in the suite, by name, with the files that define it."""
    found: dict[str, list[Path]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.setdefault(node.name, []).append(path)
    return found


def test_the_log_covers_every_required_hazard():
    titles = " ".join(_hazards()).lower()
    missing = [hazard for hazard in REQUIRED if hazard not in titles]
    assert missing == []


@pytest.mark.parametrize("title", sorted(_hazards()))
def test_each_hazard_has_its_fields_a_control_and_a_test_per_control(title):
    body = _hazards()[title]
    for field in FIELDS:
        assert re.search(rf"^- \*\*{field}\*\*: \S", body, re.M), f"{title}: no {field}"
    controls = re.split(r"^- Control: ", body, flags=re.M)[1:]
    assert controls, f"{title}: no control"
    for control in controls:
        assert re.search(r"^\s+- Test: ", control, re.M), f"{title}: a control with no test"


@pytest.mark.parametrize("title", sorted(_hazards()))
def test_every_test_a_hazard_names_exists(title):
    named = re.findall(r"^\s+- Test: (\w+)\s*$", _hazards()[title], re.M)
    assert named
    tests = _tests_by_name()
    for name in named:
        assert name in tests, f"{title}: the suite has no test {name}"
        assert len(tests[name]) == 1, f"{title}: {name} is defined in {len(tests[name])} files"


@pytest.mark.parametrize("title", sorted(_hazards()))
def test_risk_after_controls_is_acceptable_and_never_above_risk_before(title):
    body = _hazards()[title]

    def value(field: str) -> int:
        return int(re.search(rf"^- \*\*{field}\*\*: (\d)", body, re.M).group(1))

    for field in FIELDS[2:]:
        assert 1 <= value(field) <= 5, f"{title}: {field} out of 1-5"
    assert value("Risk after") <= min(2, value("Risk before")), title


def test_the_check_fails_for_a_test_that_does_not_exist(tmp_path, monkeypatch):
    fake = tmp_path / "hazard-log.md"
    fake.write_text(
        "## H99. Made up\n"
        + "".join(f"- **{f}**: 1\n" for f in FIELDS)
        + "- Control: none real\n  - Test: test_no_such_test\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["LOG"]), "LOG", fake)
    with pytest.raises(AssertionError, match="the suite has no test test_no_such_test"):
        test_every_test_a_hazard_names_exists("H99. Made up")
