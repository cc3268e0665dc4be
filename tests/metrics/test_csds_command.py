"""``wraparound csds-export`` writes the file, or exits 2 naming the bad argument."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.metrics import csds_fixtures
from tests.metrics.csds_fixtures import period
from wraparound import cli
from wraparound.access.models import AuditEvent
from wraparound.caseload.models import Visit

history = csds_fixtures.history


def run(
    h, tmp_path, table="CYP201CareContact", *, start=None, end=None, user="analyst", stderr=None
):
    first, last = period(h)
    out = tmp_path / "out.csv"
    stdout = io.StringIO()
    call_command(
        "csds_export",
        table,
        "--from",
        start or first.isoformat(),
        "--to",
        end or last.isoformat(),
        "--as",
        user,
        "--out",
        str(out),
        stdout=stdout,
        stderr=stderr or io.StringIO(),
    )
    return out, stdout.getvalue()


def test_the_command_writes_the_csv_and_says_how_many_rows(history, tmp_path):
    out, said = run(history, tmp_path)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 4
    assert said.strip() == f"{out}: 4 rows of CYP201CareContact"
    assert AuditEvent.objects.filter(action="export").count() == 1


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"start": "2026-13-01"}, "--from: '2026-13-01' is not a date"),
        ({"end": "yesterday"}, "--to: 'yesterday' is not a date"),
        ({"start": "2026-12-01", "end": "2026-11-01"}, "--to: The period must end"),
        ({"table": "CYP999"}, "TABLE: 'CYP999' is not a table"),
        ({"user": "nobody"}, "--as: no user is called nobody"),
        ({"user": "nurse"}, "--as: Your role cannot export"),
    ],
)
def test_a_bad_argument_exits_2_naming_it(history, tmp_path, changes, argument):
    with pytest.raises(CommandError) as exc:
        run(history, tmp_path, **changes)
    assert exc.value.returncode == 2
    assert str(exc.value).startswith(argument)
    assert not (tmp_path / "out.csv").exists()


def test_failing_values_are_listed_and_nothing_is_written(history, tmp_path):
    Visit.objects.filter(pk=history.visits["planned_attended"].pk).update(duration_minutes=0)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 values failed") as exc:
        run(history, tmp_path, stderr=stderr)
    assert exc.value.returncode == 2
    assert "row 3, ClinContDurOfCareCont: 0 is less than the minimum, 1" in stderr.getvalue()
    assert not (tmp_path / "out.csv").exists()


def test_the_command_line_spells_it_csds_export_with_a_hyphen(monkeypatch):
    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda args: seen.append(args)
    )
    cli.main(["wraparound", "csds-export", "CYP101Referral", "--from", "2026-11-01"])
    assert seen[0][1] == "csds_export"
