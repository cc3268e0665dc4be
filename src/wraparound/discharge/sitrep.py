"""The daily discharge situation report, counted as NHS England's acute discharge sitrep
counts it, from plain snapshots of stays (no database: ``report`` builds them).

For a day D, a person *no longer meets the criteria to reside* if they were in hospital on
D and their discharge-ready date is on or before D; of them, some were *discharged* on D and
the rest *remain* at the day's end. Each who remains spends that night delayed: a delayed
bed day. Long stays are those in hospital at the day's end 7, 14 and 21 days or more after
admission (length of stay = days since the day of admission). Delay reasons are counted for
those remaining with a stay of 7 days or more, and of 14 days or more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .delays import FAMILIES, REASONS

MARKS = (7, 14, 21)
PATHWAYS = ("0", "1", "2", "3")


@dataclass(frozen=True)
class StaySnapshot:
    hospital: str
    admitted_on: dt.date
    ready_since: dt.date | None = None
    pathway: str = ""
    delay_reason: str = ""
    discharged_on: dt.date | None = None

    def present_on(self, day: dt.date) -> bool:
        return self.admitted_on <= day and (self.discharged_on is None or self.discharged_on >= day)

    def in_at_end_of(self, day: dt.date) -> bool:
        return self.admitted_on <= day and (self.discharged_on is None or self.discharged_on > day)

    def ready_on(self, day: dt.date) -> bool:
        return self.present_on(day) and self.ready_since is not None and self.ready_since <= day

    def length_of_stay(self, day: dt.date) -> int:
        return (day - self.admitted_on).days


@dataclass
class DayReport:
    hospital: str
    day: dt.date
    not_meeting_criteria: Counter[str] = field(default_factory=Counter)  # by pathway
    discharged: Counter[str] = field(default_factory=Counter)
    remaining: Counter[str] = field(default_factory=Counter)
    occupied_beds: int = 0
    long_stays: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MARKS, 0))
    reasons_7: Counter[str] = field(default_factory=Counter)  # by family
    reasons_14: Counter[str] = field(default_factory=Counter)

    @property
    def delayed_bed_days(self) -> int:
        return sum(self.remaining.values())

    def delayed_cost_pence(self, bed_day_pence: int) -> int:
        return self.delayed_bed_days * bed_day_pence

    @property
    def delayed_rate(self) -> float | None:
        """Delayed bed days over occupied bed days, for the day."""
        return self.delayed_bed_days / self.occupied_beds if self.occupied_beds else None


def _family(reason: str) -> str:
    return REASONS[reason].family if reason in REASONS else "Not recorded"


def day_report(stays: Iterable[StaySnapshot], hospital: str, day: dt.date) -> DayReport:
    report = DayReport(hospital, day)
    for stay in stays:
        if stay.hospital != hospital or not stay.present_on(day):
            continue
        staying = stay.in_at_end_of(day)
        report.occupied_beds += staying
        los = stay.length_of_stay(day)
        if staying:
            for mark in MARKS:
                report.long_stays[mark] += los >= mark
        if not stay.ready_on(day):
            continue
        report.not_meeting_criteria[stay.pathway] += 1
        if not staying:
            report.discharged[stay.pathway] += 1
            continue
        report.remaining[stay.pathway] += 1
        if los >= 7:
            report.reasons_7[_family(stay.delay_reason)] += 1
        if los >= 14:
            report.reasons_14[_family(stay.delay_reason)] += 1
    return report


COLUMNS = (
    ["Date", "Hospital"]
    + [f"No longer meet criteria to reside: pathway {p}" for p in PATHWAYS]
    + ["No longer meet criteria to reside: total"]
    + [f"Discharged: pathway {p}" for p in PATHWAYS]
    + ["Discharged: total"]
    + [f"Remaining: pathway {p}" for p in PATHWAYS]
    + ["Remaining: total", "Delayed bed days", "Cost of delayed bed days (GBP)"]
    + [f"Length of stay {m}+ days" for m in MARKS]
    + [f"Delay reason (stay 7+): {f}" for f in FAMILIES]
    + [f"Delay reason (stay 14+): {f}" for f in FAMILIES]
)


def row(report: DayReport, bed_day_pence: int) -> list[str]:
    """The report as a CSV row in ``COLUMNS`` order (money in pounds, from whole pence)."""

    def counts(counter: Counter[str]) -> list[str]:
        return [str(counter[p]) for p in PATHWAYS] + [str(sum(counter.values()))]

    pence = report.delayed_cost_pence(bed_day_pence)
    return (
        [report.day.isoformat(), report.hospital]
        + counts(report.not_meeting_criteria)
        + counts(report.discharged)
        + counts(report.remaining)
        + [str(report.delayed_bed_days), f"{pence // 100}.{pence % 100:02d}"]
        + [str(report.long_stays[m]) for m in MARKS]
        + [str(report.reasons_7[f]) for f in FAMILIES]
        + [str(report.reasons_14[f]) for f in FAMILIES]
    )
