"""Branch coverage per app, from the suite's coverage data, held to a floor per app.

Run by ``scripts/test`` after the SQLite run: reads ``.coverage`` (written by ``coverage run
-m pytest``), prints one row per app (statements, branches, lines and branches covered, as
``coverage report`` counts them) and exits 1 if an app with a floor is below it.

    .venv/bin/python scripts/coverage_floors.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import coverage

# The apps where a gap is most dangerous: who may see a record, the front door, the planner
# and the plans made from it. Others are shown, without a floor, where measured.
FLOORS = {"access": 90.0, "referrals": 90.0, "planning": 90.0, "scheduling": 90.0}

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wraparound"


def per_app(data_file: Path) -> dict[str, list[int]]:
    """app -> [statements, missed statements, branches, missed branches]."""
    cov = coverage.Coverage(data_file=str(data_file), config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "coverage.json"
        cov.json_report(outfile=str(out))  # per file, as `coverage report` counts
        files = json.loads(out.read_text())["files"]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for name, measured in files.items():
        try:
            app = (ROOT / name).resolve().relative_to(PACKAGE).parts[0]
        except ValueError:
            continue
        summary = measured["summary"]
        row = totals[app]
        row[0] += summary["num_statements"]
        row[1] += summary["missing_lines"]
        row[2] += summary.get("num_branches", 0)
        row[3] += summary.get("missing_branches", 0)
    return dict(totals)


def percent(statements: int, missed: int, branches: int, missed_branches: int) -> float:
    total = statements + branches
    if total == 0:
        return 100.0
    return 100.0 * (total - missed - missed_branches) / total


def main() -> int:
    data_file = ROOT / ".coverage"
    if not data_file.exists():
        print(f"no coverage data at {data_file}: run the suite under coverage first")
        return 1
    rows = per_app(data_file)
    failed = []
    print(f"{'app':12} {'statements':>10} {'branches':>9} {'covered':>8}  floor")
    for app in sorted(rows):
        statements, missed, branches, missed_branches = rows[app]
        covered = percent(statements, missed, branches, missed_branches)
        floor = FLOORS.get(app)
        verdict = (
            "" if floor is None else (f"{floor:.0f}%" + ("" if covered >= floor else " BELOW"))
        )
        print(f"{app:12} {statements:>10} {branches:>9} {covered:>7.1f}%  {verdict}")
        if floor is not None and covered < floor:
            failed.append(f"{app} {covered:.1f}% < {floor:.0f}%")
    for app in sorted(set(FLOORS) - set(rows)):
        failed.append(f"{app} was not measured")
    if failed:
        print("coverage below its floor: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
