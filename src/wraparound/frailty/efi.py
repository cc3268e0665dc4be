"""The electronic frailty index: the share of 36 deficits a person's coded record shows.

A deficit is present when any of its SNOMED CT codes is on the record (ever), except
polypharmacy, present with 5 or more distinct medicines issued in the 12 months to the day
of scoring. Bands by the count of deficits (Clegg 2016): fit 0-4 (index up to 0.12), mild
5-8 (up to 0.24), moderate 9-12 (up to 0.36), severe 13 or more.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
DEFICITS_COUNT = 36
POLYPHARMACY = 26
POLYPHARMACY_MEDICINES = 5
MEDICINES_WINDOW = dt.timedelta(days=365)
BANDS = (("fit", 4), ("mild", 8), ("moderate", 12), ("severe", DEFICITS_COUNT))


@cache
def deficits() -> dict[int, str]:
    """Deficit number -> its name, 1 to 36."""
    with (DATA / "efi_deficits.csv").open(newline="") as f:
        return {int(row["deficit_no"]): row["deficit"] for row in csv.DictReader(f)}


@cache
def deficits_of_code() -> dict[str, frozenset[int]]:
    """SNOMED CT code -> the deficits it shows (a few codes show two)."""
    found: dict[str, set[int]] = {}
    with (DATA / "efi_codes.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            found.setdefault(row["snomed_code"], set()).add(int(row["deficit_no"]))
    return {code: frozenset(numbers) for code, numbers in found.items()}


def band(count: int) -> str:
    """The eFI band for a count of deficits."""
    if not 0 <= count <= DEFICITS_COUNT:
        raise ValueError(f"a count of deficits is 0 to {DEFICITS_COUNT}, not {count}")
    return next(name for name, most in BANDS if count <= most)


@dataclass(frozen=True)
class EfiScore:
    deficits: tuple[int, ...]  # the deficits present, by number, ascending

    @property
    def count(self) -> int:
        return len(self.deficits)

    @property
    def index(self) -> Fraction:
        return Fraction(self.count, DEFICITS_COUNT)

    @property
    def band(self) -> str:
        return band(self.count)

    def named(self) -> list[str]:
        """The deficits present, in words: what made the score."""
        names = deficits()
        return [names[n] for n in self.deficits]


def distinct_medicines(issues: Iterable[tuple[dt.date, str]], on: dt.date) -> int:
    """Distinct medicines issued in the 12 months to ``on`` (inclusive)."""
    since = on - MEDICINES_WINDOW
    return len({medicine for issued, medicine in issues if since < issued <= on})


def efi(codes: Iterable[str], medicines_in_12_months: int) -> EfiScore:
    """The eFI from the SNOMED CT codes on the record and the count of distinct medicines
    issued in the 12 months to the day of scoring (``distinct_medicines``)."""
    table = deficits_of_code()
    present: set[int] = set()
    for code in codes:
        present |= table.get(code, frozenset())
    if medicines_in_12_months >= POLYPHARMACY_MEDICINES:
        present.add(POLYPHARMACY)
    return EfiScore(tuple(sorted(present)))
