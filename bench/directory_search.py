"""Benchmark ``eligible_services()`` over a national-sized directory.

Generates (deterministically, with bulk_create) 20,000 services in 50 places and 100,000
people, then times ~500 searches for sampled people with random needs, urgency and times.
Prints a table and writes ``bench/results/directory_search-<database>.json``.

    .venv/bin/python bench/directory_search.py                      # SQLite, scratch file
    DATABASE_URL=postgres://wraparound:wraparound-ci@127.0.0.1:5432/wraparound_bench \\
        .venv/bin/python bench/directory_search.py                  # PostgreSQL (flushed)
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
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PLACES_ACROSS, PLACES_DOWN = 10, 5  # 50 places on a grid across England
NEIGHBOURHOODS_PER_PLACE = 5
PRACTICES_PER_PLACE = 20
TEAMS_PER_PLACE = 40
SNOMED = "http://snomed.info/sct"
CONDITIONS = (
    ("59621000", "Essential hypertension"),
    ("44054006", "Type 2 diabetes mellitus"),
    ("13645005", "Chronic obstructive pulmonary disease"),
    ("84114007", "Heart failure"),
    ("52448006", "Dementia"),
    ("230690007", "Stroke"),
)


def _setup_django() -> None:
    if "DATABASE_URL" not in os.environ and "WRAPAROUND_BENCH_DIR" not in os.environ:
        # A scratch SQLite file: never the demo's database.
        os.environ["WRAPAROUND_DATA_DIR"] = tempfile.mkdtemp(prefix="wraparound-bench-")
    elif "DATABASE_URL" not in os.environ:
        os.environ["WRAPAROUND_DATA_DIR"] = os.environ["WRAPAROUND_BENCH_DIR"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")
    # As served: DEBUG keeps a log of every query, which is not what a user waits for.
    os.environ.setdefault("WRAPAROUND_DEBUG", "0")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fresh_database() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def _place_centres() -> list[tuple[float, float]]:
    return [
        (51.0 + 0.5 * row, -4.6 + 0.8 * col)  # about 55 km apart, like towns with hospitals
        for row in range(PLACES_DOWN)
        for col in range(PLACES_ACROSS)
    ]


def generate(rng: random.Random, services_count: int, people_count: int) -> dict[str, int]:
    """The places, providers, services and people, all by bulk_create."""
    from wraparound.access.models import ConsentDecision
    from wraparound.caseload.models import Condition, Patient
    from wraparound.directory.models import (
        DOS_SERVICE_TYPE,
        ConditionRule,
        OpeningDate,
        OpeningSession,
        Service,
        ServiceNeed,
        ServiceType,
    )
    from wraparound.needs import Need
    from wraparound.nhs_number import synthetic
    from wraparound.organisations.models import (
        Neighbourhood,
        Organisation,
        OrganisationKind,
        Place,
        ServiceKind,
        Team,
    )

    centres = _place_centres()
    places = Place.objects.bulk_create(
        Place(name=f"Bench place {i}", code=f"bench-{i}") for i in range(len(centres))
    )
    hoods, practices, teams = {}, {}, {}
    for place, (lat, lon) in zip(places, centres, strict=True):
        hoods[place.pk] = Neighbourhood.objects.bulk_create(
            Neighbourhood(
                place=place,
                name=f"{place.name} N{n}",
                code=f"{place.code}-n{n}",
                centre_latitude=lat + rng.uniform(-0.06, 0.06),
                centre_longitude=lon + rng.uniform(-0.1, 0.1),
            )
            for n in range(NEIGHBOURHOODS_PER_PLACE)
        )
        practices[place.pk] = Organisation.objects.bulk_create(
            Organisation(
                ods_code=f"P{place.pk:02d}{n:03d}",
                name=f"{place.name} practice {n}",
                kind=OrganisationKind.GP_PRACTICE,
                place=place,
                latitude=lat,
                longitude=lon,
            )
            for n in range(PRACTICES_PER_PLACE)
        )
        providers = Organisation.objects.bulk_create(
            Organisation(
                ods_code=f"R{place.pk:02d}{n:03d}",
                name=f"{place.name} provider {n}",
                kind=kind,
                place=place,
            )
            for n, kind in enumerate(
                [OrganisationKind.COMMUNITY_TRUST] * 4
                + [OrganisationKind.LOCAL_AUTHORITY] * 2
                + [OrganisationKind.VOLUNTARY_ORGANISATION] * 2
            )
        )
        teams[place.pk] = Team.objects.bulk_create(
            Team(
                organisation=providers[n % len(providers)],
                name=f"{place.name} team {n}",
                code=f"{place.code}-t{n}",
                service_kind=ServiceKind.NEIGHBOURHOOD_NURSING,
                base_latitude=lat + rng.uniform(-0.08, 0.08),
                base_longitude=lon + rng.uniform(-0.12, 0.12),
            )
            for n in range(TEAMS_PER_PLACE)
        )

    needs = [n for n in Need.values if n != Need.OTHER]  # "other" describes no service
    need_weights = [3 if n in {"breathlessness", "unable_to_manage"} else 1 for n in needs]
    types = ServiceType.values
    services, plans = [], []
    for i in range(services_count):
        place = places[i % len(places)]
        team = rng.choice(teams[place.pk])
        kind = rng.choice(types)
        hours = rng.random()
        services.append(
            Service(
                provider_id=team.organisation_id,
                team=team,
                name=f"Service {i}",
                service_type=kind,
                dos_service_type_id=DOS_SERVICE_TYPE[kind],
                is_fallback=kind == ServiceType.EMERGENCY_DEPARTMENT and rng.random() < 0.5,
                bookable=rng.random() < 0.85,
                min_age=rng.choice([None, None, 18, 65]),
                max_age=rng.choice([None] * 5 + [65]),
                sex=rng.choice([""] * 30 + ["female"]),
                consent_required=rng.random() < 0.2,
                offers_two_hour=rng.random() < 0.3,
                offers_two_day=rng.random() < 0.6,
                routine_within_days=rng.choice([None, 7, 14, 28]),
                open_24_7=hours < 0.25,
                latitude=team.base_latitude,
                longitude=team.base_longitude,
                capacity=rng.choice(["green", "green", "amber", "red"]),
                free_slots=rng.randint(0, 12),
                capacity_set_at=None,  # set below, relative to the searches
            )
        )
        plans.append((place, hours))
    services = Service.objects.bulk_create(services, batch_size=2000)

    base = dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)
    service_needs, sessions, dates, rules, areas, covered = [], [], [], [], [], []
    for service, (place, hours) in zip(services, plans, strict=True):
        for need in set(rng.choices(needs, weights=need_weights, k=rng.randint(2, 5))):
            service_needs.append(ServiceNeed(service_id=service.pk, need=need))
        if hours >= 0.25:
            days = range(5) if hours < 0.7 else range(7)
            opens = dt.time(rng.choice([7, 8, 9]))
            closes = dt.time(rng.choice([17, 18, 20, 22]))
            sessions += [
                OpeningSession(service_id=service.pk, day=d, opens=opens, closes=closes)
                for d in days
            ]
            if rng.random() < 0.3:
                sessions.append(
                    OpeningSession(service_id=service.pk, day=7, opens=opens, closes=closes)
                )
        if rng.random() < 0.1:
            closed_on = base.date() + dt.timedelta(days=rng.randint(0, 6))
            dates.append(OpeningDate(service_id=service.pk, date=closed_on))
        if rng.random() < 0.15:
            code, display = rng.choice(CONDITIONS)
            rules.append(
                ConditionRule(
                    service_id=service.pk,
                    kind=rng.choice(["include", "exclude"]),
                    code=code,
                    display=display,
                )
            )
        if rng.random() < 0.6:
            for hood in rng.sample(hoods[place.pk], rng.randint(1, 3)):
                areas.append(
                    Service.neighbourhoods.through(service_id=service.pk, neighbourhood_id=hood.pk)
                )
        elif rng.random() < 0.25:
            for practice in rng.sample(practices[place.pk], rng.randint(1, 4)):
                covered.append(
                    Service.practices.through(service_id=service.pk, organisation_id=practice.pk)
                )
        service.capacity_set_at = base + dt.timedelta(minutes=rng.randint(0, 7 * 24 * 60))
    Service.objects.bulk_update(services, ["capacity_set_at"], batch_size=2000)
    ServiceNeed.objects.bulk_create(service_needs, batch_size=5000)
    OpeningSession.objects.bulk_create(sessions, batch_size=5000)
    OpeningDate.objects.bulk_create(dates, batch_size=5000)
    ConditionRule.objects.bulk_create(rules, batch_size=5000)
    Service.neighbourhoods.through.objects.bulk_create(areas, batch_size=5000)
    Service.practices.through.objects.bulk_create(covered, batch_size=5000)

    numbers: set[str] = set()
    while len(numbers) < people_count:
        numbers.add(synthetic(rng))
    people = []
    for i, number in enumerate(sorted(numbers)):
        place = places[i % len(places)]
        hood = rng.choice(hoods[place.pk])
        people.append(
            Patient(
                nhs_number=number,
                given_name="Bench",
                family_name=f"Person {i}",
                date_of_birth=dt.date(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 33_000)),
                sex=rng.choice(["female", "male"]),
                address="1 Bench Street",
                postcode="BE1 1NC",
                latitude=hood.centre_latitude + rng.uniform(-0.03, 0.03),
                longitude=hood.centre_longitude + rng.uniform(-0.05, 0.05),
                deprivation_decile=rng.randint(1, 10),
                neighbourhood=hood,
                registered_practice=rng.choice(practices[place.pk]),
            )
        )
    people = Patient.objects.bulk_create(people, batch_size=5000)
    conditions, consents = [], []
    for person in people:
        for code, display in rng.sample(CONDITIONS, rng.choice([0, 0, 1, 1, 2, 3])):
            conditions.append(Condition(patient=person, system=SNOMED, code=code, display=display))
        if rng.random() < 0.5:
            consents.append(
                ConsentDecision(
                    patient=person,
                    scope=rng.choice(["share_alliance", "own_organisation", "dissent"]),
                    method="verbal",
                    recorded_at=base,
                    is_current=True,
                )
            )
    Condition.objects.bulk_create(conditions, batch_size=5000)
    ConsentDecision.objects.bulk_create(consents, batch_size=5000)
    return {
        "places": len(places),
        "services": len(services),
        "people": len(people),
        "opening_sessions": len(sessions),
        "conditions": len(conditions),
    }


def run_searches(rng: random.Random, searches: int, warmup: int = 25) -> dict[str, object]:
    from django.db import connection

    from wraparound.caseload.models import Patient
    from wraparound.directory.search import eligible_services

    ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    sample = rng.sample(ids, searches + warmup)
    by_id = Patient.objects.in_bulk(sample)
    from wraparound.needs import Need

    searchable = [n for n in Need.values if n != Need.OTHER]
    weights = [3 if n in {"breathlessness", "unable_to_manage"} else 1 for n in searchable]
    base = dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)
    timings, evaluated, eligible = [], [], []
    for n, pk in enumerate(sample):
        needs = set(rng.choices(searchable, weights=weights, k=rng.randint(1, 2)))
        urgency = rng.choice(["2-hour", "2-day", "routine"])
        when = base + dt.timedelta(minutes=rng.randint(0, 7 * 24 * 60))
        started = time.perf_counter()
        result = eligible_services(by_id[pk], needs, urgency, when)
        elapsed = (time.perf_counter() - started) * 1000
        if n >= warmup:
            timings.append(elapsed)
            evaluated.append(result.services_evaluated)
            eligible.append(len(result.eligible))
    return {
        "database": connection.vendor,
        "searches": len(timings),
        "p50_ms": round(_percentile(timings, 0.50), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "p99_ms": round(_percentile(timings, 0.99), 2),
        "max_ms": round(max(timings), 2),
        "services_evaluated_median": statistics.median(evaluated),
        "services_evaluated_max": max(evaluated),
        "eligible_median": statistics.median(eligible),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time against the data a previous run left (WRAPAROUND_BENCH_DIR or DATABASE_URL)",
    )
    args = parser.parse_args()

    _setup_django()
    from django.db import connection, transaction

    _migrate()
    from wraparound.directory.models import Service

    rng = random.Random(args.seed)
    started = time.perf_counter()
    if args.reuse and Service.objects.count() == args.services:
        sizes = {"services": args.services, "people": args.people}
    else:
        _fresh_database()
        with transaction.atomic():
            sizes = generate(rng, args.services, args.people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    generated_s = time.perf_counter() - started
    # The searches have their own rng, so a --reuse run times the same searches.
    timing = run_searches(random.Random(f"searches-{args.seed}"), args.searches)

    vendor = str(timing["database"])
    result = {
        "benchmark": "directory_search",
        **timing,
        **sizes,
        "generate_s": round(generated_s, 1),
        "seed": args.seed,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),  # the machine is shared
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print(f"eligible_services over {sizes['services']:,} services, {sizes['people']:,} people")
    print(
        f"{'database':<12}{'searches':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'evaluated':>18}"
    )
    print(
        f"{vendor:<12}{timing['searches']:>9}{timing['p50_ms']:>9}{timing['p95_ms']:>9}"
        f"{timing['p99_ms']:>9}"
        f"{'median ' + str(timing['services_evaluated_median']):>18}"
        f" (max {timing['services_evaluated_max']})"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"directory_search-{'postgresql' if vendor == 'postgresql' else vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
