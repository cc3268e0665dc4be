"""Batch intake: a CSV file of referrals. Each bad row is reported; the good ones are imported.

Columns: ``idempotency_key, nhs_number, date_of_birth, source, needs, clinical_summary``
and, optionally, ``referring_organisation`` (ODS code; the importer's own by
default) and ``received_at`` (ISO 8601; now by default). Rows are numbered as a
spreadsheet numbers them: the header is row 1.

The file is read as a stream, and its good rows are stored a batch at a time (each
batch committed before any of it is triaged, so a failure while triaging loses
nothing), so a big file never holds the database for long. Importing the same file
again adds nothing (the idempotency keys are already there). A row number is the
record's, however many lines its cells span; a quote left open, which would swallow
the rows after it, is refused naming the cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission

from . import actions
from .forms import ReferralRowForm

REQUIRED_COLUMNS = (
    "idempotency_key",
    "nhs_number",
    "date_of_birth",
    "source",
    "needs",
    "clinical_summary",
)
OPTIONAL_COLUMNS = ("referring_organisation", "received_at")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"


@dataclass
class ImportReport:
    by: Actor = None
    rows: int = 0
    imported: int = 0
    already_present: int = 0
    errors: list[RowError] = field(default_factory=list)
    referral_ids: list[int] = field(default_factory=list)
    stopped_at: int | None = None  # the row where unreadable CSV ended the import

    @property
    def refused_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def _row_errors(row: int, error: ValidationError | dict[str, Any]) -> list[RowError]:
    messages = error.message_dict if isinstance(error, ValidationError) else error
    return [
        RowError(row, "row" if name == "__all__" else name, str(reason))
        for name, reasons in messages.items()
        for reason in reasons
    ]


# Far above any cell a referral needs (summaries stop at 4,000 characters), so a long cell is
# refused by the form naming its field; a cell over this is refused as a broken row.
MAX_CELL = 1_000_000
csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
# Rows are stored and triaged a batch at a time: a big file never holds the database for long,
# so intake from the web and FHIR goes on while it imports.
BATCH_SIZE = 100


def _swallowed_line(raw: dict[str | None, Any], columns: int) -> str | None:
    """The name of a cell that seems to have swallowed the next row through an open quote.

    A cell may span lines (a clinical summary with line breaks), but a continuation line
    holding a whole row's worth of commas is the next row, eaten by a quote left open.
    """
    for name, value in raw.items():
        if not isinstance(value, str) or "\n" not in value:
            continue
        for line in value.splitlines()[1:]:
            if line.count(",") >= columns - 1:
                return name or "row"
    return None


def _rows(
    reader: csv.DictReader[str], report: ImportReport
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each good row with its spreadsheet row number (the header is row 1, records count up
    from 2 however many lines a cell spans); bad rows go into the report."""
    row = 1
    while True:
        row += 1
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.rows += 1
            report.errors.append(RowError(row, "row", f"cannot be read as CSV ({exc})"))
            report.stopped_at = row
            return  # the file's quoting is broken from here: nothing after it can be trusted
        report.rows += 1
        if None in raw:  # more cells than columns
            report.errors.append(RowError(row, "row", "more cells than there are columns"))
            continue
        swallowed = _swallowed_line(raw, len(reader.fieldnames or []))
        if swallowed is not None:
            report.errors.append(
                RowError(
                    row,
                    swallowed,
                    "a quote opened in this cell closes only after the next row: "
                    "close the quote, or the rows below it are lost",
                )
            )
            continue
        form = ReferralRowForm({k: (v or "") for k, v in raw.items()}, by=report.by)
        if form.is_valid():
            yield row, form.cleaned_data
        else:
            report.errors += _row_errors(row, form.errors)


def _store(batch: list[tuple[int, dict[str, Any]]], report: ImportReport, by: Actor) -> list[int]:
    """Store one batch as received (one short transaction); the ids to triage."""
    stored: list[int] = []
    with transaction.atomic():
        for row, data in batch:
            try:
                with transaction.atomic():
                    referral, created = actions.receive_referral(
                        patient=data["patient"],
                        source=data["source"],
                        needs=data["needs"],
                        clinical_summary=data["clinical_summary"],
                        idempotency_key=data["idempotency_key"],
                        referring_organisation=data["referring_organisation"],
                        received_at=data["received_at"],
                        by=by,
                    )
            except ValidationError as exc:
                report.errors += _row_errors(row, exc)
                continue
            stored.append(referral.pk)
            if created:
                report.imported += 1
            else:
                report.already_present += 1
    return stored


def _triage(referral_ids: list[int], by: Actor) -> None:
    for referral_id in referral_ids:
        # Another import of the same file, or the sweeper, may triage it at the same moment.
        actions.triage_if_untriaged(referral_id=referral_id, by=by)


def import_referrals(lines: Iterable[str], *, by: Actor, source_name: str = "") -> ImportReport:
    """Read the file as a stream; store and triage its good rows a batch at a time."""
    if not has_permission(by, Permission.REFER):
        raise NoAccess("Your role cannot send referrals")
    reader = csv.DictReader(lines, strict=True)
    try:
        columns = [c.strip() for c in reader.fieldnames or []]
    except csv.Error as exc:
        raise ValidationError({"columns": f"the header row cannot be read as CSV ({exc})"}) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValidationError({"columns": f"the file has no column {', '.join(missing)}"})
    reader.fieldnames = columns
    report = ImportReport(by=by)
    batch: list[tuple[int, dict[str, Any]]] = []
    for row, data in _rows(reader, report):
        batch.append((row, data))
        if len(batch) == BATCH_SIZE:
            ids = _store(batch, report, by)
            report.referral_ids += ids
            _triage(ids, by)
            batch = []
    ids = _store(batch, report, by)
    report.referral_ids += ids
    _triage(ids, by)
    report.errors.sort(key=lambda e: e.row)
    audit.record(
        user=by,
        action=AuditAction.IMPORT,
        purpose=Purpose.REFERRALS_IMPORTED,
        basis="referrer sending referrals",
        detail={
            "file": source_name,
            "rows": report.rows,
            "imported": report.imported,
            "already_present": report.already_present,
            "refused_rows": report.refused_rows,
        },
    )
    return report
