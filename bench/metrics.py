"""Benchmark the standard metrics over a national-sized extract.

Generates 5,000,000 care contacts and 500,000 referrals over 24 months for 200 teams of 50
providers (100 neighbourhoods, 10 places), loads them with the database's bulk path
(executemany on SQLite, COPY on PostgreSQL), then times every metric for every kind of
unit (team, provider, neighbourhood, place) by month, over all 24 months. Prints a table
and writes ``bench/results/metrics-<database>.json``. Target: all of it under 10 s on
PostgreSQL.

    .venv/bin/python bench/metrics.py                       # SQLite, scratch file
    DATABASE_URL=postgres://wraparound:wraparound-ci@127.0.0.1:5432/wraparound_metrics_bench \\
        .venv/bin/python bench/metrics.py                   # PostgreSQL (tables emptied first)
    .venv/bin/python bench/metrics.py --contacts 200000 --referrals 20000   # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TEAMS, PROVIDERS, NEIGHBOURHOODS, PLACES = 200, 50, 100, 10
MONTHS = 24
CHUNK = 100_000


def _setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["WRAPAROUND_DATA_DIR"] = tempfile.mkdtemp(prefix="wraparound-metrics-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")
    os.environ.setdefault("WRAPAROUND_DEBUG", "0")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _months(start: dt.date) -> list[dt.date]:
    out, m = [], start
    for _ in range(MONTHS):
        out.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return out


def _codes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    team = rng.integers(0, TEAMS, n)
    return {
        "team": team,
        "provider": team % PROVIDERS,
        "neighbourhood": (team * 7 + rng.integers(0, 2, n)) % NEIGHBOURHOODS,
        "place": (team % PROVIDERS) % PLACES,
    }


def _rows_contacts(rng: np.random.Generator, n: int, offset: int, months: list[dt.date]):  # type: ignore[no-untyped-def]
    c = _codes(rng, n)
    month_i = rng.integers(0, MONTHS, n)
    day = rng.integers(0, 28, n)
    # About 150 people on each team's caseload at a time, seen several times a month.
    patient = rng.integers(0, 150, n) * TEAMS + c["team"] + month_i * TEAMS * 150 // 6
    staff = (patient % 12 + rng.integers(0, 3, n) * (rng.random(n) < 0.4)) % 15
    roll = rng.random(n)
    outcome = np.where(roll < 0.92, "completed", np.where(roll < 0.97, "missed", "cancelled"))
    planned = rng.random(n) < 0.9
    duration = rng.choice([20, 30, 45, 60], n)
    for i in range(n):
        month = months[month_i[i]]
        date = month + dt.timedelta(days=int(day[i]))
        yield (
            f"b-c{offset + i}",
            f"P{c['provider'][i]:03d}",
            f"team-{c['team'][i]}",
            f"hood-{c['neighbourhood'][i]}",
            f"place-{c['place'][i]}",
            f"p{patient[i]}",
            f"t{c['team'][i]}-s{staff[i]}",
            date,
            date - dt.timedelta(days=date.weekday()),
            month,
            bool(planned[i]),
            str(outcome[i]),
            int(duration[i]),
        )


def _rows_referrals(rng: np.random.Generator, n: int, months: list[dt.date]):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    c = _codes(rng, n)
    month_i = rng.integers(0, MONTHS, n)
    day = rng.integers(0, 28, n)
    urgency = rng.choice(["2_hour", "2_day", "routine"], n, p=[0.3, 0.2, 0.5])
    limits = np.where(urgency == "2_hour", 120, np.where(urgency == "2_day", 2880, 20160))
    fast = rng.random(n) < 0.78
    minutes = np.where(fast, rng.integers(10, 1 + limits), limits + rng.integers(1, 2000, n))
    seen = rng.random(n) < 0.95
    for i in range(n):
        month = months[month_i[i]]
        date = month + dt.timedelta(days=int(day[i]))
        received = timezone.make_aware(dt.datetime.combine(date, dt.time(10, 0)))
        m = int(minutes[i]) if seen[i] else None
        yield (
            f"b-r{i}",
            f"P{c['provider'][i]:03d}",
            f"team-{c['team'][i]}",
            f"hood-{c['neighbourhood'][i]}",
            f"place-{c['place'][i]}",
            f"p{i}",
            int(rng.integers(18, 100)),
            int(rng.integers(1, 11)),
            received,
            date - dt.timedelta(days=date.weekday()),
            month,
            "gp",
            str(urgency[i]),
            m,
            (m // 1440) if m is not None else None,
            int(rng.random() < 0.08),
            "completed",
            None,
        )


def _team_months(rng: np.random.Generator, months: list[dt.date]) -> list[tuple[object, ...]]:
    rows = []
    for t in range(TEAMS):
        for month in months:
            caseload = int(rng.integers(150, 600))
            wte = round(caseload / rng.uniform(20, 30), 1)
            rows.append(
                (
                    f"P{t % PROVIDERS:03d}",
                    f"team-{t}",
                    f"hood-{(t * 7) % NEIGHBOURHOODS}",
                    f"place-{(t % PROVIDERS) % PLACES}",
                    month,
                    caseload,
                    wte,
                    int(rng.poisson(caseload * 0.045)),
                    wte * 37.5 * 60 * 4 * 0.22,
                    wte * 37.5 * 60 * 4,
                    float(rng.uniform(72, 84)),
                    float(rng.uniform(2, 9)),
                )
            )
    return rows


def _load(table: str, columns: list[str], rows, total: int) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch: list[tuple[object, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= CHUNK:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    took = time.perf_counter() - started
    print(f"  loaded {total:,} rows into {table} in {took:.1f} s", flush=True)
    return took


def generate(contacts: int, referrals: int, seed: int) -> dict[str, float]:
    from django.db import connection

    from wraparound.metrics.models import (
        ContactRecord,
        ContactRollup,
        ContinuityRollup,
        ReferralRecord,
        TeamMonth,
    )

    with connection.cursor() as cursor:
        for model in (ContactRecord, ReferralRecord, TeamMonth, ContactRollup, ContinuityRollup):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    rng = np.random.default_rng(seed)
    months = _months(dt.date(2024, 11, 1))
    contact_cols = [
        "source_id",
        "provider_code",
        "team_code",
        "neighbourhood_code",
        "place_code",
        "patient_key",
        "staff_key",
        "contact_date",
        "week",
        "month",
        "planned",
        "outcome",
        "duration_minutes",
    ]
    referral_cols = [
        "source_id",
        "provider_code",
        "team_code",
        "neighbourhood_code",
        "place_code",
        "patient_key",
        "age",
        "deprivation_decile",
        "received_at",
        "week",
        "month",
        "source",
        "urgency",
        "minutes_to_first_contact",
        "days_to_first_contact",
        "declined_or_redirected",
        "status",
        "closed_at",
    ]
    month_cols = [
        "provider_code",
        "team_code",
        "neighbourhood_code",
        "place_code",
        "month",
        "caseload_people",
        "whole_time_equivalents",
        "emergency_admissions",
        "planned_travel_minutes",
        "planned_paid_minutes",
        "mean_age",
        "mean_deprivation_decile",
    ]

    def contact_rows():  # type: ignore[no-untyped-def]
        for start in range(0, contacts, CHUNK):
            yield from _rows_contacts(rng, min(CHUNK, contacts - start), start, months)

    timings = {
        "load contacts": _load(
            ContactRecord._meta.db_table, contact_cols, contact_rows(), contacts
        ),
        "load referrals": _load(
            ReferralRecord._meta.db_table,
            referral_cols,
            _rows_referrals(rng, referrals, months),
            referrals,
        ),
        "load team months": _load(
            TeamMonth._meta.db_table, month_cols, iter(_team_months(rng, months)), TEAMS * MONTHS
        ),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from wraparound.metrics.rollups import build_rollups

    started = time.perf_counter()
    build_rollups()
    timings["build rollups"] = time.perf_counter() - started
    print(f"  rolled the contacts up in {timings['build rollups']:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def time_all() -> tuple[float, dict[str, float]]:
    from wraparound.metrics.compute import compute
    from wraparound.metrics.registry import METRICS

    per_metric: dict[str, float] = {}
    started = time.perf_counter()
    for metric in METRICS:
        t = time.perf_counter()
        for kind in ("team", "provider", "neighbourhood", "place"):
            compute(metric, kind, "month")
        per_metric[metric.code] = time.perf_counter() - t
    return time.perf_counter() - started, per_metric


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=5_000_000)
    parser.add_argument("--referrals", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    database = connection.vendor
    print(
        f"Generating {args.contacts:,} contacts and {args.referrals:,} referrals on {database}...",
        flush=True,
    )
    load = generate(args.contacts, args.referrals, args.seed)
    runs = []
    per_metric_runs: list[dict[str, float]] = []
    for i in range(args.repeats):
        total, per_metric = time_all()
        runs.append(total)
        per_metric_runs.append(per_metric)
        print(
            f"  run {i + 1}: all metrics, all units, {MONTHS} months in {total:.2f} s", flush=True
        )
    median_per_metric = {
        code: statistics.median(r[code] for r in per_metric_runs) for code in per_metric_runs[0]
    }
    print()
    print(f"| metric (4 unit kinds x {MONTHS} months) | median s ({database}) |")
    print("|---|---|")
    for code, seconds in median_per_metric.items():
        print(f"| {code} | {seconds:.2f} |")
    print(f"| **all metrics** | **{statistics.median(runs):.2f}** (target < 10 s on PostgreSQL) |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"metrics-{database}.json"
    out.write_text(
        json.dumps(
            {
                "database": database,
                "contacts": args.contacts,
                "referrals": args.referrals,
                "teams": TEAMS,
                "providers": PROVIDERS,
                "months": MONTHS,
                "repeats": args.repeats,
                "runs_s": runs,
                "median_s": statistics.median(runs),
                "median_per_metric_s": median_per_metric,
                "load_s": load,
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(),
                },
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
