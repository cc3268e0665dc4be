"""Roll the contact records up once, so that every metric over contacts reads a small table.

Two set-based INSERT ... SELECT statements, portable between SQLite and PostgreSQL. The
continuity rollup keeps one row per person, team and period: continuity of carer is a
team's measure, so a person seen by two teams counts once in each.
"""

from __future__ import annotations

from django.db import connection, transaction

from .models import ContactRecord, ContactRollup, ContinuityRollup

UNITS = "provider_code, team_code, neighbourhood_code, place_code"


@transaction.atomic
def build_rollups() -> None:
    contacts = ContactRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ContactRollup._meta.db_table}")
        cursor.execute(f"DELETE FROM {ContinuityRollup._meta.db_table}")
        cursor.execute(
            f"INSERT INTO {ContactRollup._meta.db_table} ({UNITS}, month, week, planned, outcome, contacts) "
            f"SELECT {UNITS}, month, week, planned, outcome, COUNT(*) FROM {contacts} "
            f"GROUP BY {UNITS}, month, week, planned, outcome"
        )
        for kind in ("month",):  # continuity is counted by month: a week is too few visits
            cursor.execute(
                f"INSERT INTO {ContinuityRollup._meta.db_table} "
                f"({UNITS}, period_kind, period, patient_key, visits, squares) "
                f"SELECT {UNITS}, %s, {kind}, patient_key, SUM(n), SUM(n * n) FROM ("
                f"  SELECT {UNITS}, {kind}, patient_key, staff_key, COUNT(*) AS n FROM {contacts} "
                f"  WHERE outcome = 'completed' AND staff_key <> '' "
                f"  GROUP BY {UNITS}, {kind}, patient_key, staff_key"
                f") AS per_staff GROUP BY {UNITS}, {kind}, patient_key",
                [kind],
            )
