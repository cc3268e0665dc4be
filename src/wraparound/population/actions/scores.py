"""Frailty scores for a batch of residents, read from their records in a few set-based
queries and computed by the pure functions of ``wraparound.frailty``."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import CodeSystem, Condition, Patient
from wraparound.caseload.models.people import age_on
from wraparound.frailty import efi, hfrs

from ..models import AdmissionDiagnosis, FrailtyScore, MedicineIssue

SCORED_FIELDS = [
    "scored_on",
    "efi_count",
    "efi_band",
    "efi_deficits",
    "hfrs_tenths",
    "hfrs_band",
    "hfrs_groups",
    "computed_at",
]


@transaction.atomic
def score_residents(*, patient_ids: Sequence[int], on: dt.date, by: Actor) -> int:
    """Compute (or recompute) both scores on ``on`` for these residents; how many scored.

    Scores are derived from the records, so the system computes them (a task per batch);
    an administrator may run a batch by hand.
    """
    require_actor(by)
    if not isinstance(by, System) and not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Frailty scores are computed by the system")
    wanted = set(patient_ids)
    if not wanted:
        return 0
    # A batch is a run of ids: read the range and keep the batch's own (a 5,000-id IN list
    # cost more in Django's handling of its parameters than the queries themselves).
    low, high = min(wanted), max(wanted)
    born = {
        pk: day
        for pk, day in Patient.objects.filter(pk__gte=low, pk__lte=high)
        .values_list("pk", "date_of_birth")
        .iterator(chunk_size=10_000)
        if pk in wanted
    }
    # Every SNOMED CT code of the batch, matched to the code sets here: with the 2,088 codes
    # in the query too, SQLite probed the index for each pair (1.6 s a batch, not 0.03 s).
    deficit_codes = efi.deficits_of_code()
    codes: dict[int, list[str]] = defaultdict(list)
    for patient_id, code in (
        Condition.objects.filter(
            patient_id__gte=low, patient_id__lte=high, system=CodeSystem.SNOMED_CT
        )
        .values_list("patient_id", "code")
        .iterator(chunk_size=20_000)
    ):
        if code in deficit_codes and patient_id in born:
            codes[patient_id].append(code)
    medicines = {
        patient_id: n
        for patient_id, n in MedicineIssue.objects.filter(
            patient_id__gte=low,
            patient_id__lte=high,
            issued_on__gt=on - efi.MEDICINES_WINDOW,
            issued_on__lte=on,
        )
        .values("patient_id")
        .annotate(n=Count("medicine_code", distinct=True))
        .values_list("patient_id", "n")
    }
    diagnoses: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for patient_id, admitted, code in AdmissionDiagnosis.objects.filter(
        admission__patient_id__gte=low,
        admission__patient_id__lte=high,
        admission__admitted_on__gte=on - hfrs.WINDOW,
        admission__admitted_on__lte=on,
    ).values_list("admission__patient_id", "admission__admitted_on", "icd10_code"):
        diagnoses[patient_id].append((admitted, code))
    now = timezone.now()
    rows = []
    for patient_id, date_of_birth in born.items():
        frailty = efi.efi(codes.get(patient_id, ()), medicines.get(patient_id, 0))
        risk = hfrs.hfrs(age_on(date_of_birth, on), diagnoses.get(patient_id, ()), on)
        rows.append(
            (
                patient_id,
                on,
                frailty.count,
                frailty.band,
                json.dumps(list(frailty.deficits)),
                None if risk is None else risk.tenths,
                "" if risk is None else risk.band,
                json.dumps([] if risk is None else list(risk.groups)),
                now,
            )
        )
    _upsert(rows)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.FRAILTY_SCORED,
        detail={"people": len(rows), "on": on.isoformat()},
    )
    return len(rows)


def _upsert(rows: list[tuple[object, ...]]) -> None:
    """Insert or replace the batch's scores. On PostgreSQL they are copied into a temporary
    table and merged in one statement (row by row, the upsert was most of a batch's time);
    elsewhere, one prepared statement for all."""
    table = FrailtyScore._meta.db_table
    columns = ", ".join(["patient_id", *SCORED_FIELDS])
    updates = ", ".join(f"{c} = excluded.{c}" for c in SCORED_FIELDS)
    merge = f"ON CONFLICT (patient_id) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * (len(SCORED_FIELDS) + 1))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks}) {merge}", rows)
            return
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS incoming_scores (LIKE {table}) "
            "ON COMMIT DELETE ROWS"
        )
        with cursor.cursor.copy(f"COPY incoming_scores ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming_scores {merge}"
        )
        cursor.execute("DELETE FROM incoming_scores")
