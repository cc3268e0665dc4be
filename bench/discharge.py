"""The hospital's list and the discharge sitrep at a region's scale: ten 1,000-bed hospitals
with a year of stays each (about 70,000 a hospital), added to the demo place's database.

    DATABASE_URL=postgres://... python bench/discharge.py        # adds the hospitals once
    DATABASE_URL=postgres://... python bench/discharge.py --repeats 11

Targets (issue 17): a 1,000-bed hospital's list (about 150 people no longer meeting the
criteria to reside) loads in under 300 ms; a day's situation report for 10 hospitals over a
year of stays in under 5 s on PostgreSQL. Also timed: the care transfer hub's worklist (the
demo's, 25 rows a page, each with the directory's answer for the pathway). Writes bench/results/discharge-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

# bench/ is on the path when this runs as a script: the same timing as every page's bench.
from pages import time_page  # noqa: E402

from wraparound.caseload.models import Patient  # noqa: E402
from wraparound.discharge.delays import REASONS  # noqa: E402
from wraparound.discharge.models import HospitalStay  # noqa: E402
from wraparound.discharge.report import sitrep  # noqa: E402
from wraparound.organisations.models import Organisation, OrganisationKind, Place  # noqa: E402
from wraparound.workforce.models import Profession, StaffMember  # noqa: E402

HOSPITALS = 10
BEDS = 1_000
MEAN_STAY_DAYS = 5.0
READY_SHARE = 0.15  # of the people in bed, those no longer meeting the criteria to reside


def _stays_for(rng: random.Random, hospital: Organisation, people: list[int], now: dt.datetime):
    """A year of stays keeping about BEDS people in bed, the last READY_SHARE of them ready."""
    arrivals_per_day = BEDS / MEAN_STAY_DAYS
    moment = now - dt.timedelta(days=365 + 30)
    n = 0
    while moment < now:
        moment += dt.timedelta(days=rng.expovariate(arrivals_per_day))
        stay_days = rng.expovariate(1 / MEAN_STAY_DAYS)
        leaves = moment + dt.timedelta(days=stay_days)
        ready = moment + dt.timedelta(days=stay_days * (1 - READY_SHARE))
        n += 1
        stay = HospitalStay(
            hospital=hospital,
            encounter_id=f"B{n}",
            patient_id=rng.choice(people),
            ward="Ward",
            admitted_at=moment,
            received_at=moment,
            changed_at=now,
        )
        if ready <= now:
            stay.ready_since = timezone.localdate(ready)
            stay.pathway = rng.choice("0123")
        if leaves <= now:
            stay.discharged_at = leaves
        elif stay.ready_since and stay.ready_since < timezone.localdate(now):
            stay.delay_reason = rng.choice(list(REASONS))
            stay.delay_since = stay.ready_since
        yield stay


def _build(now: dt.datetime) -> list[Organisation]:
    existing = list(Organisation.objects.filter(ods_code__startswith="RB").order_by("ods_code"))
    if len(existing) == HOSPITALS:
        return existing
    rng = random.Random(17)
    place = Place.objects.order_by("pk").first()
    people = list(Patient.objects.values_list("pk", flat=True))
    made = []
    with transaction.atomic():
        for i in range(HOSPITALS):
            hospital = Organisation.objects.create(
                ods_code=f"RB{i}",
                name=f"Bench General {i}",
                kind=OrganisationKind.ACUTE_TRUST,
                place=place,
            )
            HospitalStay.objects.bulk_create(
                _stays_for(rng, hospital, people, now), batch_size=5000
            )
            made.append(hospital)
        user = get_user_model().objects.create(username="bench-discharge")
        StaffMember.objects.create(
            user=user,
            organisation=made[0],
            role="clinician",
            profession=Profession.CARE_COORDINATOR,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE discharge_hospitalstay")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    now = timezone.now()
    started = time.perf_counter()
    hospitals = _build(now)
    built_s = time.perf_counter() - started
    first = hospitals[0]
    in_bed = HospitalStay.objects.filter(hospital=first, discharged_at__isnull=True)
    ready = in_bed.exclude(ready_since=None).count()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-discharge"))
    client.get("/discharge/")  # warm
    page = time_page(client, "/discharge/", args.repeats)
    # The hub's worklist as the demo's coordinator: a page of 25, one directory search each.
    hub_client = Client()
    hub_client.force_login(get_user_model().objects.get(username="coordinator"))
    hub_client.get("/discharge/hub/")  # warm
    hub = time_page(hub_client, "/discharge/hub/", args.repeats)
    hub_rows = hub_client.get("/discharge/hub/").content.decode().count('data-testid="hub-row-')
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    seconds = []
    for _ in range(max(3, args.repeats // 3)):
        started = time.perf_counter()
        reports = [sitrep(h, yesterday) for h in hospitals]
        seconds.append(time.perf_counter() - started)
    stays = HospitalStay.objects.filter(hospital__in=hospitals).count()
    print(
        f"{connection.vendor}: {HOSPITALS} hospitals, {stays:,} stays over a year (built in {built_s:.1f} s)"
    )
    print(f"{'measure':58} {'median':>10} {'p95/max':>10}")
    print(
        f"{'list of a 1,000-bed hospital (' + str(in_bed.count()) + ' in bed, ' + str(ready) + ' ready)':58} "
        f"{page['median_ms']:>8} ms {page['p95_ms']:>7} ms  ({page['queries']} queries)"
    )
    print(
        f"{'the hub worklist (' + str(hub_rows) + ' rows, a directory search each)':58} "
        f"{hub['median_ms']:>8} ms {hub['p95_ms']:>7} ms  ({hub['queries']} queries)"
    )
    print(
        f"{'a day sitrep for all 10 hospitals':58} {statistics.median(seconds):>9.2f}s "
        f"{max(seconds):>9.2f}s"
    )
    print(f"remaining not meeting criteria, first hospital: {sum(reports[0].remaining.values())}")
    out = ROOT / "bench" / "results" / f"discharge-{connection.vendor}.json"
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "bench/discharge.py", *sys.argv[1:]]),
                "database": connection.vendor,
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "stays": stays,
                "list": {"in_bed": in_bed.count(), "ready": ready, **page},
                "hub_worklist": {"rows": hub_rows, **hub},
                "sitrep_10_hospitals_s": {
                    "median": statistics.median(seconds),
                    "max": max(seconds),
                },
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
