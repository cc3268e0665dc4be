"""A step of the demo place builder: each resident's small area (a synthetic File 7 of the
English Indices of Deprivation, ``population/data/demo_imd_2025.csv``), the coded findings,
medicines and admission diagnoses that frailty shows in older people, and both frailty
scores for everyone. Its own random numbers, drawn from the place's once."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

from wraparound.access.actors import System
from wraparound.caseload.models import CodeSystem, Condition, EmergencyAdmission, Patient
from wraparound.caseload.models.people import age_on
from wraparound.population.actions import load_deprivation, score_residents
from wraparound.population.models import AdmissionDiagnosis, MedicineIssue

FILE7 = Path(__file__).resolve().parents[1] / "population" / "data" / "demo_imd_2025.csv"
TOWNS = {"Wrexford": "wrexford-central", "Northfield": "northfield", "Hillside": "hillside"}
# Findings (SNOMED CT, each in an eFI code set) and their chance at 65-74, 75-84 and 85+.
FINDINGS = (
    ("1912002", "Fall", (0.10, 0.20, 0.35)),
    ("8510008", "Reduced mobility", (0.06, 0.15, 0.35)),
    ("160689007", "Housebound", (0.02, 0.06, 0.20)),
    ("33553000", "Widowed", (0.12, 0.28, 0.50)),
    ("3723001", "Arthritis", (0.25, 0.33, 0.38)),
    ("15188001", "Hearing loss", (0.15, 0.30, 0.50)),
    ("64859006", "Osteoporosis", (0.05, 0.10, 0.16)),
    ("42112009", "Urinary incontinence", (0.06, 0.12, 0.22)),
    ("162260006", "Dizziness present", (0.05, 0.08, 0.12)),
    ("271737000", "Anaemia", (0.05, 0.09, 0.15)),
    ("162201008", "Insomnia", (0.08, 0.10, 0.12)),
    ("267036007", "Dyspnoea", (0.05, 0.09, 0.14)),
    ("40930008", "Hypothyroidism", (0.06, 0.08, 0.09)),
    ("386807006", "Memory impairment", (0.02, 0.06, 0.15)),
    ("89362005", "Weight loss", (0.02, 0.04, 0.09)),
    ("49049000", "Parkinson's disease", (0.005, 0.012, 0.02)),
)
MEDICINES = (
    "Amlodipine", "Ramipril", "Atorvastatin", "Metformin", "Bisoprolol", "Furosemide",
    "Lansoprazole", "Apixaban", "Levothyroxine", "Paracetamol", "Sertraline", "Tamsulosin",
)  # fmt: skip
# An admission's primary diagnosis in ICD-10, and what older people's admissions also code.
PRIMARY = {"Fall": "W19", "Pneumonia": "J18", "Urinary tract infection": "N39",
           "Heart failure": "I50"}  # fmt: skip
SECONDARY = ("F05", "R29", "Z74", "R26", "E87", "F03", "L89", "Z75", "R41", "S72")


def _band(age: int) -> int | None:
    return None if age < 65 else 0 if age < 75 else 1 if age < 85 else 2


def _small_areas(rng: random.Random) -> None:
    """Each resident lives in a small area of their neighbourhood with their decile (or the
    nearest one it has); the file is then loaded as an administrator would load File 7."""
    areas: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with FILE7.open(newline="") as f:
        for row in csv.DictReader(f):
            town = row["LSOA name (2021)"].rsplit(" ", 1)[0]
            decile = int(
                row[
                    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
                ]
            )
            areas[TOWNS[town]].append((decile, row["LSOA code (2021)"]))
    chosen: dict[str, list[int]] = defaultdict(list)
    people = Patient.objects.exclude(neighbourhood=None).order_by("pk")
    for pk, hood, decile in people.values_list("pk", "neighbourhood__code", "deprivation_decile"):
        choices = areas[hood]
        nearest = min(abs(d - decile) for d, _ in choices)
        chosen[rng.choice([c for d, c in choices if abs(d - decile) == nearest])].append(pk)
    for code, ids in chosen.items():  # one update an area: bulk_update of each row is slow
        for start in range(0, len(ids), 5000):
            Patient.objects.filter(pk__in=ids[start : start + 5000]).update(lsoa_code=code)
    with FILE7.open(encoding="utf-8-sig", newline="") as lines:
        load_deprivation(lines, source=FILE7.name, by=System("demo"))


def _records(rng: random.Random, today: dt.date) -> None:
    people = list(
        Patient.objects.order_by("pk").values_list("pk", "date_of_birth", "deprivation_decile")
    )
    conditions, medicines = [], []
    for pk, born, decile in people:
        band = _band(age_on(born, today))
        if band is None:
            continue
        boost = 1.3 if decile <= 3 else 1.0  # frailty comes earlier where deprivation is deepest
        for code, display, chances in FINDINGS:
            if rng.random() < chances[band] * boost:
                recorded = today - dt.timedelta(days=rng.randint(30, 3000))
                conditions.append(
                    Condition(
                        patient_id=pk,
                        system=CodeSystem.SNOMED_CT,
                        code=code,
                        display=display,
                        recorded_on=recorded,
                    )
                )
        taken = min(len(MEDICINES), int(rng.expovariate(1 / (2 + 2 * band))))
        for name in rng.sample(MEDICINES, taken):
            medicines.append(
                MedicineIssue(
                    patient_id=pk,
                    medicine_code=f"demo-{MEDICINES.index(name)}",
                    medicine=name,
                    issued_on=today - dt.timedelta(days=rng.randint(1, 330)),
                )
            )
    Condition.objects.bulk_create(conditions, batch_size=5000, ignore_conflicts=True)
    MedicineIssue.objects.bulk_create(medicines, batch_size=5000)
    diagnoses = []
    for admission in EmergencyAdmission.objects.order_by("pk").only("pk", "primary_diagnosis"):
        codes = [PRIMARY.get(admission.primary_diagnosis, "R69")]
        codes += rng.sample(SECONDARY, rng.randint(0, 3))
        diagnoses += [
            AdmissionDiagnosis(admission_id=admission.pk, position=i + 1, icd10_code=c)
            for i, c in enumerate(codes)
        ]
    AdmissionDiagnosis.objects.bulk_create(diagnoses, batch_size=5000)


def build_frailty(*, rng: random.Random, today: dt.date) -> None:
    own = random.Random(rng.random())
    _small_areas(own)
    _records(own, today)
    ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        score_residents(patient_ids=ids[start : start + 5000], on=today, by=System("demo"))
