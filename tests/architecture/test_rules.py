"""The architecture's rules fail the test command when they are broken, not only by habit.

- The import rules (``[tool.importlinter]`` in pyproject.toml, run by ``lint-imports`` in
  scripts/test): planning imports no Django and no other app; the door imports no record
  app; no two packages import each other; the apps form layers.
- Views and management commands never write models directly (``rules.py``).
- An action whose audit write fails leaves no change behind.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture.rules import direct_writes, writes_outside_actions
from tests.factories import PatientFactory, referral, staff
from wraparound.access import audit
from wraparound.caseload.models import CaseloadEntry
from wraparound.referrals import actions
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.models import Referral

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports_on(
    tmp_path: Path, plant: tuple[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the import rules over a copy of the source, with one line planted in one module."""
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if plant is not None:
        module, line = plant
        path = tmp_path / "src" / module
        path.write_text(path.read_text() + f"\n{line}\n")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_rules_hold_on_the_source(tmp_path):
    result = _lint_imports_on(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("wraparound/planning/plan.py", "import django.db  # noqa", "planning is a library"),
        (
            "wraparound/organisations/models.py",
            "from wraparound.caseload import models as _m  # noqa",
            "The apps form layers",
        ),
        ("wraparound/access/roles.py", "import wraparound.door.policy  # noqa", "layers"),
        (
            "wraparound/door/policy.py",
            "from wraparound.caseload.models import Patient as _P  # noqa",
            "The door imports no record app",
        ),
        (
            "wraparound/workforce/models.py",
            "from wraparound.scheduling import models as _s  # noqa",
            "No two packages of Wraparound import each other",
        ),
    ],
)
def test_a_forbidden_import_fails_the_import_rules(tmp_path, module, line, contract):
    result = _lint_imports_on(tmp_path, (module, line))
    assert result.returncode != 0
    assert contract in result.stdout and "BROKEN" in result.stdout


def test_no_view_or_command_writes_a_model_directly():
    assert writes_outside_actions(ROOT / "src" / "wraparound") == []


@pytest.mark.parametrize(
    "line",
    [
        "Visit.objects.filter(pk=1).update(status='completed')",
        "Referral.objects.create(summary='x')",
        "visit.save()",
        "CaseloadEntry.objects.all().delete()",
    ],
)
def test_a_direct_write_in_a_view_is_caught(line):
    found = list(direct_writes(f"def view(request):\n    {line}\n", "caseload/views.py"))
    assert len(found) == 1 and found[0].line == 2


def test_a_read_or_a_dict_update_in_a_view_is_not_a_write():
    source = "def view(request):\n    context.update(a=Visit.objects.filter(pk=1).count())\n"
    assert list(direct_writes(source, "caseload/views.py")) == []


def test_an_action_whose_audit_write_fails_leaves_no_change_behind(place, monkeypatch):
    leader = staff("ucr_leader", place.trust, "team_leader", place.ucr)
    person = PatientFactory()
    offered = referral(person, sender=place.users["gp"], status=Status.OFFERED, team=place.ucr)

    def audit_store_down(**_: object) -> None:
        raise RuntimeError("the audit store is down")

    monkeypatch.setattr(audit, "record", audit_store_down)
    with pytest.raises(RuntimeError, match="audit store"):
        actions.accept_referral(referral_id=offered.pk, by=leader)
    assert Referral.objects.get(pk=offered.pk).status == Status.OFFERED
    assert not CaseloadEntry.objects.filter(patient=person, team=place.ucr).exists()
