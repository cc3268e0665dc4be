"""Benchmark our planner against PyVRP, OR-Tools routing and VROOM on ../shared/bench/instances.

Every solution is scored by ../shared/bench/check.py, run as a separate
process; this script never computes an objective of its own. It prints one
table per family and writes bench/results/planner-<family>.json.

    python bench/planner.py                       # the issue's limits: hours of CPU
    python bench/planner.py --families solomon --limit 10 --solvers ours,pyvrp
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from peers import PEERS  # noqa: E402

from wraparound.planning import plan_day  # noqa: E402
from wraparound.planning.assemble import assemble_plan  # noqa: E402
from wraparound.planning.hhc_format import read_problem, write_solution  # noqa: E402
from wraparound.planning.schedule import Day, evaluate  # noqa: E402
from wraparound.planning.tasks import Tasks  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"
CHECK = SHARED / "check.py"
# The time limits per family (seconds).
DEFAULT_LIMITS = {"solomon": 10.0, "mankowska": 60.0, "community": 10.0}
FAMILIES = ("solomon", "mankowska", "community")


def _instance_key(path: Path) -> tuple[Any, ...]:
    # A1, A2, ..., A10 and C101.., community-8s before community-20s.
    import re

    parts = re.split(r"(\d+)", path.stem)
    return tuple(int(p) if p.isdigit() else p for p in parts)


def run_solver(
    solver: str, instance: dict[str, Any], limit: float, seed: int
) -> tuple[dict[str, Any], float, list[str], str]:
    problem = read_problem(instance)
    started = time.perf_counter()
    if solver == "ours":
        plan = plan_day(problem, time_limit=limit, seed=seed)
        elapsed = time.perf_counter() - started
        return write_solution(plan), elapsed, [], plan.engine
    day = Day(Tasks(problem))
    routes, dropped = PEERS[solver](problem, day, limit, seed)
    elapsed = time.perf_counter() - started
    placed = {t for r in routes for t in r}
    unassigned = [j for j, job in enumerate(day.tasks.jobs) if job[0] not in placed]
    plan = assemble_plan(day, routes, evaluate(day, routes, unassigned), solver)
    return write_solution(plan), elapsed, dropped, solver


def check(instance_path: Path, solution: dict[str, Any]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(solution, f)
        sol_path = f.name
    try:
        out = subprocess.run(
            [sys.executable, str(CHECK), str(instance_path), sol_path],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(sol_path).unlink(missing_ok=True)
    report: dict[str, Any] = json.loads(out.stdout)
    return report


def summarise(family: str, rows: list[dict[str, Any]], solvers: list[str]) -> dict[str, Any]:
    names = sorted({r["instance"] for r in rows}, key=lambda n: _instance_key(Path(n)))
    by = {(r["instance"], r["solver"]): r for r in rows}
    table: dict[str, Any] = {}
    for s in solvers:
        mine = [by[(n, s)] for n in names if (n, s) in by]
        feasible = [r for r in mine if r["feasible"]]
        gaps = [r["gap_percent"] for r in feasible if r.get("gap_percent") is not None]
        # Ratio to the best *other* solver on each instance where both are feasible.
        ratios = []
        for n in names:
            if (n, s) not in by or not by[(n, s)]["feasible"]:
                continue
            others = [
                by[(n, o)]["objective"]
                for o in solvers
                if o != s and (n, o) in by and by[(n, o)]["feasible"]
            ]
            if others and min(others) > 0:
                ratios.append(by[(n, s)]["objective"] / min(others))
        ratio_to: dict[str, Any] = {}
        for o in solvers:
            if o == s:
                continue
            pair = [
                by[(n, s)]["objective"] / by[(n, o)]["objective"]
                for n in names
                if (n, s) in by
                and (n, o) in by
                and by[(n, s)]["feasible"]
                and by[(n, o)]["feasible"]
                and by[(n, o)]["objective"] > 0
            ]
            if pair:
                ratio_to[o] = {
                    "instances": len(pair),
                    "median": round(statistics.median(pair), 4),
                    "mean": round(statistics.mean(pair), 4),
                }
        table[s] = {
            "ratio_to": ratio_to,
            "instances": len(mine),
            "feasible": len(feasible),
            "mean_gap_percent": round(statistics.mean(gaps), 3) if gaps else None,
            "median_gap_percent": round(statistics.median(gaps), 3) if gaps else None,
            "mean_objective": round(statistics.mean(r["objective"] for r in feasible), 3)
            if feasible
            else None,
            "median_ratio_to_best_peer": round(statistics.median(ratios), 4) if ratios else None,
            "mean_ratio_to_best_peer": round(statistics.mean(ratios), 4) if ratios else None,
            "mandatory_unserved_instances": sum(
                1 for r in mine if any("mandatory" in e for e in r["errors"])
            ),
        }
    return table


def _fmt(x: Any) -> str:
    return "-" if x is None else f"{x:g}"


def print_table(family: str, limit: float, table: dict[str, Any]) -> None:
    print(f"\n{family} at {limit:g} s (checker figures)")
    head = (
        f"{'solver':<12} {'n':>3} {'feasible':>8} {'mean gap %':>10} {'median gap %':>12}"
        f" {'mean obj':>12} {'ratio to best peer (median/mean)':>32}"
    )
    print(head)
    print("-" * len(head))
    for s, t in table.items():
        ratio = f"{_fmt(t['median_ratio_to_best_peer'])} / {_fmt(t['mean_ratio_to_best_peer'])}"
        print(
            f"{s:<12} {t['instances']:>3} {t['feasible']:>8} {_fmt(t['mean_gap_percent']):>10}"
            f" {_fmt(t['median_gap_percent']):>12} {_fmt(t['mean_objective']):>12} {ratio:>32}"
        )
    for s, t in table.items():
        if s != "ours":
            continue
        for o, r in t.get("ratio_to", {}).items():
            print(
                f"  {s} / {o}: median {r['median']:g}, mean {r['mean']:g}"
                f" over {r['instances']} instances where both are feasible"
            )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--families", default=",".join(FAMILIES))
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds per run (default: the issue's per family)",
    )
    p.add_argument(
        "--limit", type=int, default=None, help="only the first N instances of each family"
    )
    p.add_argument("--only", default=None, help="comma-separated instance names")
    p.add_argument("--solvers", default="ours,pyvrp,ortools,vroom")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tag", default="", help="suffix for the results file name")
    p.add_argument(
        "--reprint", action="store_true", help="print the tables of the saved results again"
    )
    p.add_argument(
        "--merge",
        default=None,
        help="comma-separated result tags ('' for none) of one family to pool into planner-<family>-merged.json",
    )
    p.add_argument(
        "--merged",
        default="-merged",
        help="suffix of the pooled file: planner-<family><suffix>.json (with --merge)",
    )
    args = p.parse_args(argv)
    solvers = args.solvers.split(",")
    if args.merge is not None:
        family = args.families.split(",")[0]
        rows: list[dict[str, Any]] = []
        sources = []
        for tag in args.merge.split(","):
            path = ROOT / "bench" / "results" / f"planner-{family}{tag}.json"
            saved = json.loads(path.read_text())
            sources.append(
                {
                    "file": path.name,
                    "command": saved["command"],
                    "time_limit_s": saved["time_limit_s"],
                }
            )
            rows += [r for r in saved["runs"] if r["solver"] in solvers]
        if args.only:
            wanted = set(args.only.split(","))
            rows = [r for r in rows if r["instance"] in wanted]
        limit = sources[0]["time_limit_s"]
        table = summarise(family, rows, solvers)
        print_table(family, limit, table)
        out = ROOT / "bench" / "results" / f"planner-{family}{args.merged}.json"
        merged = {
            "family": family,
            "time_limit_s": limit,
            "solvers": solvers,
            "sources": sources,
            "summary": table,
        }
        out.write_text(json.dumps(merged, indent=1) + "\n")
        print(f"wrote {out.relative_to(ROOT)}")
        return 0
    if args.reprint:
        for family in args.families.split(","):
            path = ROOT / "bench" / "results" / f"planner-{family}{args.tag}.json"
            if path.exists():
                saved = json.loads(path.read_text())
                print_table(
                    family,
                    saved["time_limit_s"],
                    summarise(family, saved["runs"], saved["solvers"]),
                )
        return 0
    for family in args.families.split(","):
        limit = args.time_limit or DEFAULT_LIMITS[family]
        paths = sorted((SHARED / "instances" / family).glob("*.json"), key=_instance_key)
        if args.only:
            wanted = set(args.only.split(","))
            paths = [q for q in paths if q.stem in wanted]
        if args.limit:
            paths = paths[: args.limit]
        rows: list[dict[str, Any]] = []
        for path in paths:
            instance = json.loads(path.read_text())
            for solver in solvers:
                try:
                    solution, elapsed, dropped, engine = run_solver(
                        solver, instance, limit, args.seed
                    )
                    report = check(path, solution)
                except Exception as e:  # a peer that crashes is a result too
                    report = {
                        "feasible": False,
                        "objective": None,
                        "errors": [f"crashed: {e!r}"],
                        "components": {},
                    }
                    elapsed, dropped, engine = 0.0, [], solver
                row = {
                    "instance": path.stem,
                    "solver": solver,
                    "engine": engine,
                    "seconds": round(elapsed, 2),
                    "feasible": report["feasible"],
                    "objective": report["objective"],
                    "gap_percent": report.get("gap_percent"),
                    "best_known": report.get("best_known"),
                    "components": report.get("components"),
                    "errors": report["errors"][:5],
                    "dropped": dropped,
                }
                rows.append(row)
                print(
                    f"{family} {path.stem:<16} {solver:<8} {elapsed:6.1f}s feasible={report['feasible']!s:<5} obj={report['objective']} gap={report.get('gap_percent')}",
                    flush=True,
                )
        table = summarise(family, rows, solvers)
        print_table(family, limit, table)
        out = ROOT / "bench" / "results" / f"planner-{family}{args.tag}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(
                {
                    "family": family,
                    "time_limit_s": limit,
                    "seed": args.seed,
                    "solvers": solvers,
                    "instances": [q.stem for q in paths],
                    "command": "python bench/planner.py "
                    + " ".join(argv if argv is not None else sys.argv[1:]),
                    "machine": "2 shared CPU cores, one solver process at a time",
                    "summary": table,
                    "runs": rows,
                },
                indent=1,
            )
            + "\n"
        )
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
