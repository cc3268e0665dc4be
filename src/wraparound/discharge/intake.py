"""The hospital's list as a CSV batch: one row a stay, as the hospital's system exports it.

Columns: ``encounter_id, nhs_number, date_of_birth, admitted_at`` and, as each applies,
``ward, ready_since, pathway, delay_reason, delay_since, discharged_at,
discharge_destination`` (a Data Dictionary code, ``destinations.py``)``,
criteria_decided_by``. Each row is stored in its own transaction: a bad row is reported as
``row N, field: reason`` (the header is row 1) and the good rows are stored; the same file
again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime

from wraparound import nhs_number
from wraparound.access.actors import Actor

from .actions import StayReport, receive_stay
from .actions.stays import TRACKED

REQUIRED = ("encounter_id", "nhs_number", "date_of_birth", "admitted_at")
OPTIONAL = (*TRACKED, "criteria_decided_by")  # the fields a report may give


@dataclass
class ListReport:
    rows: int = 0
    new: int = 0
    changed: int = 0
    same: int = 0
    errors: list[str] = field(default_factory=list)


def _date(text: str, name: str) -> dt.date | None:
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        raise ValidationError({name: f"'{text}' is not a date (YYYY-MM-DD)"})
    return day


def _moment(text: str, name: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        when = parse_datetime(text)
    except ValueError:
        when = None
    if when is None:
        raise ValidationError({name: f"'{text}' is not a date and time (ISO 8601, with its zone)"})
    return when


def stay_report(cells: dict[str, str]) -> StayReport:
    """A row's cells as a report; a ValidationError names the first bad cell."""
    for name in REQUIRED:
        if not cells.get(name):
            raise ValidationError({name: "is required"})
    try:
        number = nhs_number.validate(cells["nhs_number"])
    except nhs_number.InvalidNHSNumber as exc:
        raise ValidationError({"nhs_number": str(exc)}) from exc
    born = _date(cells["date_of_birth"], "date_of_birth")
    admitted = _moment(cells["admitted_at"], "admitted_at")
    assert born is not None and admitted is not None  # required above
    return StayReport(
        encounter_id=cells["encounter_id"],
        nhs_number=number,
        date_of_birth=born,
        admitted_at=admitted,
        ward=cells.get("ward", ""),
        ready_since=_date(cells.get("ready_since", ""), "ready_since"),
        pathway=cells.get("pathway", ""),
        delay_reason=cells.get("delay_reason", ""),
        delay_since=_date(cells.get("delay_since", ""), "delay_since"),
        discharged_at=_moment(cells.get("discharged_at", ""), "discharged_at"),
        discharge_destination=cells.get("discharge_destination", "").strip(),
        criteria_decided_by=cells.get("criteria_decided_by", ""),
    )


def import_hospital_list(lines: Iterable[str], *, by: Actor) -> ListReport:
    """Store each row's stay; report what was new, changed, the same, and each bad row."""
    report = ListReport()
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(f"row 1, {missing[0]}: the header lacks this column")
        return report
    for number, raw in enumerate(reader, start=2):
        report.rows += 1
        cells = {k: (v or "").strip() for k, v in raw.items() if k in REQUIRED + OPTIONAL}
        try:
            _, outcome = receive_stay(report=stay_report(cells), by=by)
        except ValidationError as exc:
            for name, reasons in exc.message_dict.items():
                report.errors.extend(f"row {number}, {name}: {reason}" for reason in reasons)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
