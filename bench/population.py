"""Frailty scores and cohorts at a large place's scale: 1,000,000 residents with 10,000,000
coded entries, 1,000,000 medicine issues and 300,000 emergency admissions (with their ICD-10
diagnoses), generated straight into an empty database of their own (PostgreSQL: COPY).

    DATABASE_URL=postgres://.../wraparound_population python bench/population.py
    DATABASE_URL=... python bench/population.py --residents 100000   # a smaller place

Targets (issue 18): both scores for every resident in under 60 s on PostgreSQL (under 3
minutes on SQLite), peak memory under 2 GB; a cohort query over 1,000,000 residents p95
under 1 s on PostgreSQL. Scores are computed as the command does (``score_everyone``: a task
per batch of 5,000, run in-process by the embedded backend). Writes
bench/results/population-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

# bench/ is on the path when this runs as a script: the same percentile as every page's bench.
from pages import p95  # noqa: E402

from wraparound import nhs_number  # noqa: E402
from wraparound.caseload.models import Condition, EmergencyAdmission, Patient  # noqa: E402
from wraparound.frailty import efi, hfrs  # noqa: E402
from wraparound.organisations.models import (  # noqa: E402
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Place,
)
from wraparound.population.cohorts import CohortQuery, counts  # noqa: E402
from wraparound.population.models import AdmissionDiagnosis, FrailtyScore, MedicineIssue  # noqa: E402
from wraparound.population.tasks import score_everyone  # noqa: E402

CODES_PER_RESIDENT = 10
ADMISSIONS_SHARE = 0.3
MEDICINES_PER_RESIDENT = 1


def _copy(model: type, columns: list[str], rows) -> int:  # type: ignore[no-untyped-def]
    """COPY rows into the model's table (PostgreSQL), in chunks; the rows written."""
    table = model._meta.db_table
    n = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _numbers(count: int):  # type: ignore[no-untyped-def]
    first = 990_000_000  # 990 to 999: room for ten million (999 alone holds under one)
    made = 0
    while made < count:
        nine = str(first)
        first += 1
        assert len(nine) == 9, "ran out of nine-digit numbers"
        digit = nhs_number.check_digit(nine)
        if digit is not None:
            made += 1
            yield nine + str(digit)


def _build(residents: int, rng: random.Random, today: dt.date) -> dict[str, float]:
    started = time.perf_counter()
    place = Place.objects.create(name="Benchford", code="bench")
    hoods = [
        Neighbourhood.objects.create(
            place=place,
            name=f"Area {i}",
            code=f"area-{i}",
            centre_latitude=52.5,
            centre_longitude=-2.0,
        )
        for i in range(10)
    ]
    practices = [
        Organisation.objects.create(
            ods_code=f"B{i:05d}",
            name=f"Practice {i}",
            kind=OrganisationKind.GP_PRACTICE,
            place=place,
        )
        for i in range(40)
    ]
    hospital = Organisation.objects.create(
        ods_code="RBX", name="Benchford General", kind=OrganisationKind.ACUTE_TRUST, place=place
    )
    columns = [
        "nhs_number", "given_name", "family_name", "date_of_birth", "sex", "address",
        "postcode", "home_access", "what_to_bring", "latitude", "longitude",
        "deprivation_decile", "neighbourhood_id", "registered_practice_id", "lsoa_code",
    ]  # fmt: skip

    def people():  # type: ignore[no-untyped-def]
        for i, number in enumerate(_numbers(residents)):
            age = min(104, int(rng.expovariate(1 / 40)))
            yield (
                number, "Bench", f"Resident{i}", today - dt.timedelta(days=365 * age + rng.randrange(365)),
                rng.choice(("female", "male")), f"{i} Bench Road", "BX1 1AA", "", "",
                52.5, -2.0, rng.randint(1, 10), rng.choice(hoods).pk, rng.choice(practices).pk, "",
            )  # fmt: skip

    _copy(Patient, columns, people())
    made = {"residents_s": time.perf_counter() - started}
    ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    deficit_codes = list(efi.deficits_of_code())
    other = [str(100000000 + i) for i in range(4000)]  # codes no deficit set holds

    def conditions():  # type: ignore[no-untyped-def]
        for pk in ids:
            chosen = set(rng.sample(deficit_codes, rng.randint(0, 6)))
            chosen |= set(rng.sample(other, CODES_PER_RESIDENT - len(chosen)))
            for code in chosen:
                yield (pk, "http://snomed.info/sct", code, "bench", None)

    started = time.perf_counter()
    _copy(Condition, ["patient_id", "system", "code", "display", "recorded_on"], conditions())
    made["conditions_s"] = time.perf_counter() - started
    started = time.perf_counter()
    _copy(
        MedicineIssue,
        ["patient_id", "medicine_code", "medicine", "issued_on"],
        (
            (pk, str(rng.randrange(30)), "bench", today - dt.timedelta(days=rng.randrange(400)))
            for pk in ids
            for _ in range(MEDICINES_PER_RESIDENT)
        ),
    )
    admitted = rng.sample(ids, int(ADMISSIONS_SHARE * len(ids)))
    _copy(
        EmergencyAdmission,
        ["patient_id", "hospital_id", "admitted_on", "primary_diagnosis"],
        ((pk, hospital.pk, today - dt.timedelta(days=rng.randrange(900)), "") for pk in admitted),
    )
    groups = list(hfrs.weights())
    admissions = list(EmergencyAdmission.objects.values_list("pk", flat=True))
    _copy(
        AdmissionDiagnosis,
        ["admission_id", "position", "icd10_code"],
        (
            (a, position + 1, code)
            for a in admissions
            for position, code in enumerate(rng.sample(groups, rng.randint(1, 4)))
        ),
    )
    made["records_s"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("This bench generates its place with PostgreSQL's COPY: set DATABASE_URL")
        return 2
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    built: dict[str, float] = {}
    if not Patient.objects.exists():
        built = _build(args.residents, random.Random(18), today)
    residents = Patient.objects.count()
    entries = Condition.objects.count()
    admissions = EmergencyAdmission.objects.count()
    started = time.perf_counter()
    batches = score_everyone(on=today)
    scoring_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert FrailtyScore.objects.count() == residents
    cohorts = {
        "case finding: moderate or severe eFI, an admission in 6 months, no care plan": CohortQuery(
            efi_bands=("moderate", "severe"), admitted_within_months=6, has_care_plan=False
        ),
        "everyone 75 and over with a high HFRS": CohortQuery(min_age=75, hfrs_bands=("high",)),
    }
    timings = {}
    for name, query in cohorts.items():
        seconds = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            result = counts(query, today)
            seconds.append(time.perf_counter() - started)
        timings[name] = {
            "median_s": round(statistics.median(seconds), 3),
            "p95_s": round(p95(seconds), 3),
            "in_cohort": result.total.count,
        }
    bands = {
        b: FrailtyScore.objects.filter(efi_band=b).count()
        for b in ("fit", "mild", "moderate", "severe")
    }
    print(
        f"{connection.vendor}: {residents:,} residents, {entries:,} coded entries, {admissions:,} admissions"
    )
    if built:
        print("generated in " + ", ".join(f"{k} {v:.0f} s" for k, v in built.items()))
    print(
        f"both scores for everyone: {scoring_s:.1f} s ({batches} batches), peak memory {peak_mb:.0f} MB"
    )
    print(f"eFI bands: {bands}")
    print(f"{'cohort':78} {'median':>8} {'p95':>8}")
    for name, t in timings.items():
        print(f"{name:78} {t['median_s']:>7.3f}s {t['p95_s']:>7.3f}s  ({t['in_cohort']} in it)")
    out = ROOT / "bench" / "results" / f"population-{connection.vendor}.json"
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "bench/population.py", *sys.argv[1:]]),
                "database": connection.vendor,
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "residents": residents,
                "coded_entries": entries,
                "admissions": admissions,
                "generated_s": built,
                "scoring_s": round(scoring_s, 2),
                "batches": batches,
                "peak_memory_mb": round(peak_mb),
                "efi_bands": bands,
                "cohorts": timings,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
