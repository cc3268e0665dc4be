"""The Hospital Frailty Risk Score, for people aged 75 and over.

Each distinct ICD-10 three-character group in the person's emergency admissions of the two
years before the day of scoring adds its weight once, however often it appears. Bands
(Gilbert 2018): low under 5, intermediate 5 to 15 (both edges included), high over 15.
Weights have one decimal place, so scores are held in tenths: no floating point.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
MINIMUM_AGE = 75
WINDOW = dt.timedelta(days=2 * 365)
LOW_BELOW, HIGH_ABOVE = 50, 150  # in tenths: 5.0 and 15.0


@cache
def weights() -> dict[str, int]:
    """ICD-10 group (3 characters) -> its weight in tenths."""
    with (DATA / "hfrs_weights.csv").open(newline="") as f:
        return {row["icd10_prefix"]: int(Decimal(row["weight"]) * 10) for row in csv.DictReader(f)}


def group_of(code: str) -> str:
    """The three-character group of an ICD-10 code, however it is written (F05.1, f051)."""
    return code.replace(".", "").strip().upper()[:3]


def band(tenths: int) -> str:
    if tenths < LOW_BELOW:
        return "low"
    return "intermediate" if tenths <= HIGH_ABOVE else "high"


@dataclass(frozen=True)
class HfrsScore:
    groups: tuple[str, ...]  # the weighted groups found, ascending

    @property
    def tenths(self) -> int:
        table = weights()
        return sum(table[g] for g in self.groups)

    @property
    def points(self) -> Decimal:
        return Decimal(self.tenths) / 10

    @property
    def band(self) -> str:
        return band(self.tenths)


def hfrs(age: int, diagnoses: Iterable[tuple[dt.date, str]], on: dt.date) -> HfrsScore | None:
    """The HFRS on ``on`` from (admitted on, ICD-10 code) pairs of emergency admissions;
    None under 75, for whom the score is not defined."""
    if age < MINIMUM_AGE:
        return None
    since = on - WINDOW
    table = weights()
    found = {group_of(code) for admitted, code in diagnoses if since <= admitted <= on}
    return HfrsScore(tuple(sorted(g for g in found if g in table)))
