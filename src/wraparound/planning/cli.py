"""``wraparound plan-instance``: plan a benchmark instance and write the solution."""

from __future__ import annotations

import argparse
import json
import sys

from wraparound.planning.day import plan_day
from wraparound.planning.hhc_format import read_problem, write_solution
from wraparound.planning.model import ProblemError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wraparound plan-instance",
        description="Plan an hhc-routing/1 instance and write an hhc-routing/1 solution.",
    )
    p.add_argument("instance", help="instance JSON file (hhc-routing/1)")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds of search (default 10)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", required=True, help="where to write the solution JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run ``plan-instance``; 0 on success, 2 (with a message naming the field) on bad input."""
    args = _parser().parse_args(argv)
    if args.time_limit <= 0:
        print("plan-instance: --time-limit: must be above 0 seconds", file=sys.stderr)
        return 2
    try:
        with open(args.instance, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        print(
            f"plan-instance: instance: cannot read {args.instance}: {e.strerror}", file=sys.stderr
        )
        return 2
    except ValueError as e:
        print(f"plan-instance: instance: not valid JSON: {e}", file=sys.stderr)
        return 2
    try:
        problem = read_problem(data)
    except ProblemError as e:
        print(f"plan-instance: {e.field}: {e.reason}", file=sys.stderr)
        return 2
    plan = plan_day(problem, time_limit=args.time_limit, seed=args.seed)
    try:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(write_solution(plan), f, indent=1)
            f.write("\n")
    except OSError as e:
        print(f"plan-instance: --out: cannot write {args.out}: {e.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
