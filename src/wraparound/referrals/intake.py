"""Batch intake: a CSV file of referrals. Each bad row is reported; the good ones are imported.

Columns: ``idempotency_key, nhs_number, date_of_birth, source, needs, clinical_summary``
and, optionally, ``referring_organisation`` (ODS code; the importer's own by
default) and ``received_at`` (ISO 8601; now by default). Rows are numbered as a
spreadsheet numbers them: the header is row 1.

All good rows are stored in one transaction before any is triaged, so a failure
while triaging loses nothing; importing the same file again adds nothing (the
idempotency keys are already there).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.policy import NoAccess, has_permission
from wraparound.access.roles import Permission

from . import actions
from .forms import ReferralRowForm
from .lifecycle import Status
from .models import Referral

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
    rows: int = 0
    imported: int = 0
    already_present: int = 0
    errors: list[RowError] = field(default_factory=list)
    referral_ids: list[int] = field(default_factory=list)

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


def _validated_rows(
    reader: csv.DictReader[str], report: ImportReport
) -> list[tuple[int, dict[str, Any]]]:
    good = []
    for raw in reader:
        report.rows += 1
        row = reader.line_num
        if None in raw:  # more cells than columns
            report.errors.append(RowError(row, "row", "more cells than there are columns"))
            continue
        form = ReferralRowForm({k: (v or "") for k, v in raw.items()})
        if form.is_valid():
            good.append((row, form.cleaned_data))
        else:
            report.errors += _row_errors(row, form.errors)
    return good


def import_referrals(lines: Iterable[str], *, by: Any, source_name: str = "") -> ImportReport:
    """Validate every row, store the good ones (one transaction), then triage each."""
    if not has_permission(by, Permission.REFER):
        raise NoAccess("Your role cannot send referrals")
    reader = csv.DictReader(lines)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValidationError({"columns": f"the file has no column {', '.join(missing)}"})
    reader.fieldnames = columns
    report = ImportReport()
    good = _validated_rows(reader, report)
    with transaction.atomic():
        for row, data in good:
            try:
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
            report.referral_ids.append(referral.pk)
            if created:
                report.imported += 1
            else:
                report.already_present += 1
        audit.record(
            user=by,
            action=AuditAction.IMPORT,
            purpose="referrals imported from a file",
            basis="referrer sending referrals",
            detail={
                "file": source_name,
                "rows": report.rows,
                "imported": report.imported,
                "already_present": report.already_present,
                "refused_rows": report.refused_rows,
            },
        )
    for referral_id in report.referral_ids:
        referral = Referral.objects.only("status").get(pk=referral_id)
        if referral.status == Status.RECEIVED:
            actions.triage_referral(referral_id=referral_id, by=by)
    return report
