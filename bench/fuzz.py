"""Hostile input at scale: the suite's fuzzer (tests/access/test_fuzz_inputs.py) with 2,500
inputs per way in (10,000 in all), seeded, on SQLite or on PostgreSQL (DATABASE_URL).

Prints a table of each target's inputs, time and outcome, and writes
bench/results/fuzz.json. A 5xx, or a 4xx that names nothing, fails the target.

    python bench/fuzz.py                    # 10,000 inputs, seed 1
    python bench/fuzz.py --per-target 500 --seed 7
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "FHIR ServiceRequest create": "test_fuzzed_service_requests_get_no_5xx",
    "FHIR read and search": "test_fuzzed_fhir_reads_and_searches_get_no_5xx",
    "web forms": "test_fuzzed_forms_get_no_5xx",
    "visit outcome and CSDS export": "test_fuzzed_outcomes_and_exports_get_no_5xx",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-target", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    env = {
        **os.environ,
        "WRAPAROUND_FUZZ_EXAMPLES": str(args.per_target),
        "WRAPAROUND_FUZZ_SEED": str(args.seed),
    }
    database = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    rows = []
    for name, test in TARGETS.items():
        started = time.perf_counter()
        result = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "pytest"),
                "-q",
                "-p",
                "no:cacheprovider",
                f"--hypothesis-seed={args.seed}",
                f"tests/access/test_fuzz_inputs.py::{test}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
        rows.append(
            {
                "target": name,
                "inputs": args.per_target,
                "seconds": round(seconds, 1),
                "passed": result.returncode == 0,
                "pytest": last,
            }
        )
        if result.returncode != 0:
            print(result.stdout[-4000:], file=sys.stderr)
    print(f"{'target':32} {'inputs':>7} {'seconds':>8}  outcome")
    for row in rows:
        outcome = "no 5xx, every 4xx named" if row["passed"] else "FAILED"
        print(f"{row['target']:32} {row['inputs']:>7} {row['seconds']:>8}  {outcome}")
    total = sum(r["inputs"] for r in rows)
    print(f"{'all':32} {total:>7} {sum(r['seconds'] for r in rows):>8.1f}")
    out = ROOT / "bench" / "results" / "fuzz.json"
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "bench/fuzz.py", *sys.argv[1:]]),
                "database": database,
                "seed": args.seed,
                "machine": platform.platform(),
                "targets": rows,
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if all(r["passed"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
