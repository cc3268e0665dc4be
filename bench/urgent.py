"""Urgent insertion on 40-staff community days: how long insert_urgent takes (p50, p95, max).

For each day: plan it (default 10 s), then insert N urgent visits one at a time
into that plan (each on its own), at random places and times from a seeded
generator. Every resulting plan is scored by ../shared/bench/check.py against
the instance with the urgent visit added.

    python bench/urgent.py --days community-40s-1,community-40s-2,community-40s-3 --per-day 20
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wraparound.planning import Visit, insert_urgent, plan_day  # noqa: E402
from wraparound.planning.hhc_format import read_problem, write_solution  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"


def check(instance: dict[str, Any], solution: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d:
        ip, sp = Path(d) / "i.json", Path(d) / "s.json"
        ip.write_text(json.dumps(instance))
        sp.write_text(json.dumps(solution))
        out = subprocess.run(
            [sys.executable, str(SHARED / "check.py"), str(ip), str(sp)],
            capture_output=True,
            text=True,
            check=False,
        )
    report: dict[str, Any] = json.loads(out.stdout)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--days", default="community-40s-1,community-40s-2,community-40s-3")
    p.add_argument("--per-day", type=int, default=20)
    p.add_argument("--plan-seconds", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    times: list[float] = []
    runs: list[dict[str, Any]] = []
    for name in args.days.split(","):
        instance = json.loads((SHARED / "instances" / "community" / f"{name}.json").read_text())
        plan = plan_day(read_problem(instance), time_limit=args.plan_seconds, seed=args.seed)
        skills = sorted(
            {
                tuple(sorted(v.get("skills", [])))
                for v in instance["visits"]
                if v.get("staff_required", 1) == 1
            }
        )
        for i in range(args.per_day):
            now = rng.randrange(540, 900, 5)
            place = rng.randrange(1, len(instance["locations"]))
            need = list(rng.choice(skills))
            duration = rng.choice([20, 30, 45, 60])
            raw = {
                "id": f"urgent-{i}",
                "location": place,
                "duration": duration,
                "window": [now, now + 120],
                "skills": need,
            }
            visit = Visit(raw["id"], place, duration, now, now + 120, skills=frozenset(need))
            started = time.perf_counter()
            after = insert_urgent(plan, visit, now)
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            report = check(
                {**instance, "visits": [*instance["visits"], raw]}, write_solution(after)
            )
            served = raw["id"] in after.starts()
            runs.append(
                {
                    "day": name,
                    "now": now,
                    "seconds": round(elapsed, 4),
                    "served": served,
                    "feasible": report["feasible"],
                    "objective_before": plan.cost.objective,
                    "objective_after": report["objective"],
                    "errors": report["errors"][:3],
                }
            )
            print(
                f"{name} urgent-{i} now={now} {elapsed * 1000:7.1f} ms served={served} feasible={report['feasible']}",
                flush=True,
            )
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    summary = {
        "insertions": len(times),
        "p50_s": round(statistics.median(times), 4),
        "p95_s": round(p95, 4),
        "max_s": round(times[-1], 4),
        "served": sum(r["served"] for r in runs),
        "feasible": sum(r["feasible"] for r in runs),
    }
    print(f"\nurgent insertion on 40-staff days: {summary}")
    out = ROOT / "bench" / "results" / "planner-urgent.json"
    out.write_text(
        json.dumps(
            {
                "command": "python bench/urgent.py "
                + " ".join(argv if argv is not None else sys.argv[1:]),
                "summary": summary,
                "runs": runs,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
