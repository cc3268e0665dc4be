"""Demand and capacity: the simulation against Erlang's closed forms, and how long a year of
a place's urgent-response demand takes to simulate.

    python bench/demand.py            # 30 replications each; writes bench/results/demand.json

Targets (issue 16): a year of urgent-response demand in under 10 s, 30 replications in
under 60 s on 2 cores; simulated blocking and occupancy within 1 percentage point of Erlang
B on a 20-place ward, and % within 2 hours within 2 points of the closed form, over 30
replications.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wraparound.demand.erlang import (  # noqa: E402
    ResponseStandard,
    crews_needed,
    erlang_b,
    occupancy,
    within_standard,
)
from wraparound.demand.simulation import (  # noqa: E402
    replicate,
    simulate_response,
    simulate_ward,
)


# A place's urgent-response calls by hour of the week: quiet nights, a morning rise, the
# late-afternoon peak (highest on Friday, as the seeds' Mrs Jones at 5 pm), about 30 a day.
def weekly_calls() -> list[float]:
    shape = [0.35] * 7 + [
        0.9, 1.4, 1.6, 1.6, 1.5, 1.4, 1.4, 1.5, 1.8, 2.2, 2.3, 1.9, 1.4, 1.0, 0.8, 0.6, 0.45,
    ]  # fmt: skip
    calls = []
    for day in range(7):
        lift = 1.25 if day == 4 else 0.8 if day >= 5 else 1.0
        calls += [rate * lift for rate in shape]
    return calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "demand.json")
    args = parser.parse_args()
    n = args.replications
    rows = []

    # A 20-place virtual ward: 3 admissions a day, 5 days' stay (15 Erlangs), two years a run.
    load = 15.0
    t = time.perf_counter()
    blocked = replicate(
        lambda s: (
            simulate_ward(
                places=20, arrivals_per_day=3, mean_stay_days=5, days=730, seed=s
            ).turned_away
        ),
        n,
    )
    full = replicate(
        lambda s: (
            simulate_ward(
                places=20, arrivals_per_day=3, mean_stay_days=5, days=730, seed=s
            ).occupancy
        ),
        n,
    )
    ward_seconds = time.perf_counter() - t
    rows.append(("20-place ward: turned away", 100 * erlang_b(20, load), blocked, 1.0))
    rows.append(("20-place ward: occupancy", 100 * occupancy(20, load), full, 1.0))

    # Urgent response, stationary: 1.5 calls an hour, 90 minutes a call, 30 minutes' travel.
    standard = ResponseStandard(calls_per_hour=1.5, busy_minutes=90, travel_minutes=30)
    crews = crews_needed(standard, 0.95)
    within = replicate(
        lambda s: simulate_response(
            calls_by_hour=[1.5] * 168, crews_by_hour=crews, busy_minutes=90,
            travel_minutes=30, weeks=52, seed=s,
        ).within,
        n,
    )  # fmt: skip
    rows.append(
        (
            f"% within 2 hours, {crews} crews (Erlang C)",
            100 * within_standard(crews, standard),
            within,
            2.0,
        )
    )

    # A year of the place's demand against a rota shaped to it, timed.
    calls = weekly_calls()
    rota = [crews_needed(ResponseStandard(max(c, 0.05), 90, 30), 0.95) for c in calls]
    t = time.perf_counter()
    one = simulate_response(
        calls_by_hour=calls,
        crews_by_hour=rota,
        busy_minutes=90,
        travel_minutes=30,
        weeks=52,
        seed=1,
    )
    one_year = time.perf_counter() - t
    t = time.perf_counter()
    year = replicate(
        lambda s: simulate_response(
            calls_by_hour=calls, crews_by_hour=rota, busy_minutes=90, travel_minutes=30,
            weeks=52, seed=s,
        ).within,
        n,
    )  # fmt: skip
    thirty_years = time.perf_counter() - t

    print(f"{'measure':44} {'closed form':>11} {'simulated (95% CI)':>24} {'diff':>6} {'limit':>5}")
    results = []
    for name, closed, est, limit in rows:
        sim = 100 * est.mean
        diff = sim - closed
        print(
            f"{name:44} {closed:>10.2f}% {sim:>8.2f}% ({100 * est.low:.2f}-{100 * est.high:.2f}) "
            f"{diff:>+6.2f} {limit:>5.1f}"
        )
        results.append(
            {"measure": name, "closed_form_pct": round(closed, 3), "simulated_pct": round(sim, 3),
             "ci_low_pct": round(100 * est.low, 3), "ci_high_pct": round(100 * est.high, 3),
             "difference_points": round(diff, 3), "limit_points": limit, "within_limit": abs(diff) <= limit}
        )  # fmt: skip
    print(
        f"\na year of the place's demand ({one.calls:,} calls, rota of {sum(rota)} crew-hours a week):"
        f" {one_year:.2f} s; {n} replications {thirty_years:.1f} s;"
        f" within 2 hours {100 * year.mean:.1f}% ({100 * year.low:.1f}-{100 * year.high:.1f});"
        f" the ward's {2 * n} replications {ward_seconds:.1f} s"
    )
    args.out.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "replications": n,
                "against_closed_forms": results,
                "year_of_demand": {
                    "calls": one.calls,
                    "crew_hours_a_week": sum(rota),
                    "one_year_seconds": round(one_year, 3),
                    "replications_seconds": round(thirty_years, 2),
                    "within_2_hours_pct": round(100 * year.mean, 2),
                    "ci_pct": [round(100 * year.low, 2), round(100 * year.high, 2)],
                },
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
