"""One CSDS-style table as CSV: a provider's referrals or care contacts for a period.

The provider is the exporter's own organisation (a CSDS submission is one provider's):
its ODS code is ``OrgID_Provider``, and only referrals offered to its teams and visits
made by its teams are included. Rows are built from the operational tables with a few
queries per table (no query per row), people are pseudonymised with a keyed hash, and
every row is checked against ``schema`` before anything is written.

When any value fails, *nothing* is released: ``export_table`` returns no CSV and every
problem (row, column, reason), so that the whole list can be fixed at once rather than
one refusal at a time. Only an export that releases a CSV writes its audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import MissedReason, Visit, VisitStatus
from wraparound.inputs import csv_cell, year_problem
from wraparound.organisations.models import Organisation
from wraparound.referrals.models import EventKind, Referral, ReferralEvent, Status, Urgency
from wraparound.referrals.triage import (
    ROUTINE_TARGET_DAYS,
    TWO_DAY_NEEDS,
    TWO_DAYS,
    TWO_HOUR_NEEDS,
    TWO_HOURS,
)

from .schema import SOURCE_CODE, Problem, Table, table_named, validate_rows

Row = dict[str, str]

# Plain strings: the choices' members are not typed as strings without Django's stubs.
_CRISIS_NEEDS = frozenset(str(need) for need in TWO_HOUR_NEEDS)
_REABLEMENT_NEEDS = frozenset(str(need) for need in TWO_DAY_NEEDS)
# National PRIORITY TYPE CODE (schema.DATA_DICTIONARY): both urgent responses are Urgent.
PRIORITY_CODE = {Urgency.ROUTINE: "1", Urgency.TWO_DAY: "2", Urgency.TWO_HOUR: "2"}
UCR_MEASUREMENT = {Urgency.TWO_HOUR: ("05", TWO_HOURS), Urgency.TWO_DAY: ("06", TWO_DAYS)}
ATTENDANCE_CODE = {
    VisitStatus.COMPLETED: "5",  # attended
    VisitStatus.MISSED: "3",  # did not attend, no warning: overridden by the coded reason below
    VisitStatus.CANCELLED: "4",  # our visits are cancelled by the team (re-planning, closures)
}
# A missed visit's coded reason says who stopped it (national ATTENDED OR DID NOT ATTEND):
# the person or their family (2), nobody in without warning (3), or the team itself (4).
MISSED_ATTENDANCE_CODE = {
    MissedReason.NO_ANSWER: "3",
    MissedReason.NOT_AT_HOME: "3",
    MissedReason.IN_HOSPITAL: "3",
    MissedReason.DECLINED: "2",
    MissedReason.CANCELLED_BY_FAMILY: "2",
    MissedReason.UNSAFE: "4",
    MissedReason.NO_TIME: "4",
    MissedReason.OTHER: "3",
}


def attendance_code(status: str, missed_reason: str) -> str:
    """The national attendance code for a finished visit, from its status and coded reason."""
    if status == VisitStatus.MISSED and missed_reason:
        return MISSED_ATTENDANCE_CODE[MissedReason(missed_reason)]
    return ATTENDANCE_CODE[VisitStatus(status)]


FACE_TO_FACE = "01"
PATIENTS_HOME = "A01"
OFFERS = [EventKind.OFFERED, EventKind.REDIRECTED]


# --- Inputs -----------------------------------------------------------------------------


def patient_key(patient_id: int) -> str:
    """A person's pseudonymised key: HMAC-SHA256 of our record id under the secret key.

    Stable for a deployment, so rows about one person link across tables and months;
    not reversible without the key, and never derived from the NHS number or name.
    """
    message = f"patient:{patient_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def parse_day(text: str | None, field: str) -> dt.date:
    """A ``YYYY-MM-DD`` date, or a ValidationError naming ``field``."""
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(
            {field: f"'{text or ''}' is not a date: give it as YYYY-MM-DD"}
        ) from None
    problem = year_problem(day)  # 9999-12-31 has no day after it to end the period on
    if problem:
        raise ValidationError({field: f"'{text}' is out of range: {problem}"})
    return day


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's first moment and the moment after its last day, local time."""
    if end < start:
        raise ValidationError({"to": "The period must end on or after the day it starts"})
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


def exporting_provider(user: Any) -> Organisation:
    """The organisation ``user`` exports for; NoAccess unless their role may see metrics."""
    staff = staff_of(user)
    if staff is None or not has_permission(user, Permission.VIEW_METRICS):
        raise NoAccess("Your role cannot export data sets")
    provider: Organisation = staff.organisation
    return provider


# --- Formatting -------------------------------------------------------------------------


def _date(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _time(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%H:%M:%S}" if moment else ""


def _datetime(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M:%S}" if moment else ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


def primary_need(needs: Iterable[str]) -> str:
    """The need that drove triage: a crisis need first, then reablement, then the soonest."""
    ranked = sorted(
        needs,
        key=lambda need: (
            need not in _CRISIS_NEEDS,
            need not in _REABLEMENT_NEEDS,
            ROUTINE_TARGET_DAYS.get(need, 99),
            need,
        ),
    )
    return ranked[0] if ranked else ""


# --- Referrals (CYP101, CYP102, CYP104) -------------------------------------------------


def _referrals(provider: Organisation, start: dt.datetime, after: dt.datetime) -> QuerySet:
    """Referrals received in the period that were ever offered to one of the provider's teams."""
    offered_here = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), kind__in=OFFERS, team__organisation=provider
    )
    return (
        Referral.objects.filter(received_at__gte=start, received_at__lt=after)
        .filter(Exists(offered_here))
        .order_by("received_at", "pk")
    )


def _closure(referral: Referral, provider: Organisation) -> tuple[str, str]:
    """How and when the provider's part in the referral ended (blank while it goes on)."""
    if referral.offered_team.organisation_id == provider.pk:
        if referral.status == Status.COMPLETED:
            return _date(referral.closed_at), "01"
        if referral.status == Status.RETURNED:
            return _date(referral.closed_at), "02"
        return "", ""
    # Declined here and redirected to another provider's team.
    return _date(referral.last_declined_here), "03"


def cyp101_rows(provider: Organisation, start: dt.datetime, after: dt.datetime) -> list[Row]:
    declined_here = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), kind=EventKind.DECLINED, team__organisation=provider
    ).order_by("-occurred_at", "-pk")
    referrals = (
        _referrals(provider, start, after)
        .select_related("offered_team")
        .annotate(last_declined_here=Subquery(declined_here.values("occurred_at")[:1]))
    )
    rows = []
    for referral in referrals:
        discharged, reason = _closure(referral, provider)
        rows.append(
            {
                "LocalPatientId": patient_key(referral.patient_id),
                "OrgID_Provider": provider.ods_code,
                "ServiceRequestId": str(referral.pk),
                "ReferralRequestReceivedDate": _date(referral.received_at),
                "ReferralRequestReceivedTime": _time(referral.received_at),
                "SourceOfReferralForCommunity": SOURCE_CODE.get(referral.source, referral.source),
                "PriorityTypeCode": PRIORITY_CODE.get(referral.urgency, referral.urgency),
                "PrimaryReferralReason": primary_need(referral.needs),
                "ServDischDate": discharged,
                "ReferClosReason": reason,
            }
        )
    return rows


def cyp102_rows(provider: Organisation, start: dt.datetime, after: dt.datetime) -> list[Row]:
    """One row per offer to a team of the provider, closed by that team's decline or by care
    completing with it."""
    referrals = {
        r["pk"]: r
        for r in _referrals(provider, start, after).values(
            "pk", "status", "closed_at", "offered_team_id"
        )
    }
    events = (
        ReferralEvent.objects.filter(
            referral_id__in=list(referrals), kind__in=[*OFFERS, EventKind.DECLINED]
        )
        .order_by("referral_id", "occurred_at", "pk")
        .values(
            "referral_id",
            "kind",
            "occurred_at",
            "team_id",
            "team__code",
            "team__service_kind",
            "team__organisation_id",
        )
    )
    rows: list[Row] = []
    current: dict[int, tuple[int, Row]] = {}  # referral -> (team, its open offer row)
    for event in events:
        referral_id = event["referral_id"]
        if event["kind"] == EventKind.DECLINED:
            team_id, row = current.pop(referral_id, (None, None))
            if row is not None and team_id == event["team_id"]:
                row["ReferralRejectionDate"] = _date(event["occurred_at"])
                row["ReferralRejectionReason"] = "01"
            continue
        current.pop(referral_id, None)
        if event["team__organisation_id"] != provider.pk:
            continue
        row = {
            "ServiceRequestId": str(referral_id),
            "TeamIDLocal": event["team__code"],
            "ServTypeReferredTo": event["team__service_kind"],
            "ReferralOfferedDate": _date(event["occurred_at"]),
            "ReferralRejectionDate": "",
            "ReferralRejectionReason": "",
            "ReferClosureDate": "",
        }
        rows.append(row)
        current[referral_id] = (event["team_id"], row)
    for referral_id, (team_id, row) in current.items():
        referral = referrals[referral_id]
        if referral["status"] == Status.COMPLETED and referral["offered_team_id"] == team_id:
            row["ReferClosureDate"] = _date(referral["closed_at"])
    return rows


def cyp104_rows(provider: Organisation, start: dt.datetime, after: dt.datetime) -> list[Row]:
    """The 2-hour and 2-day clocks of the referrals the provider's teams hold or held to the
    end, each stopped by that team's first completed visit to the person after receipt.

    A referral the provider declined is another's to answer, so its clock is not counted
    here. The stop is when the visit was recorded as finished (arrival is not recorded),
    which can only make the standard look harder to meet, never easier.
    """
    first_response = Visit.objects.filter(
        patient_id=OuterRef("patient_id"),
        team_id=OuterRef("offered_team_id"),
        status=VisitStatus.COMPLETED,
        finished_at__gte=OuterRef("received_at"),
    ).order_by("finished_at")
    referrals = (
        _referrals(provider, start, after)
        .filter(
            urgency__in=list(UCR_MEASUREMENT),
            offered_team__organisation=provider,
            status__in=[Status.OFFERED, Status.ACCEPTED, Status.COMPLETED],
        )
        .annotate(responded_at=Subquery(first_response.values("finished_at")[:1]))
    )
    now = timezone.now()
    rows = []
    for referral in referrals:
        code, target = UCR_MEASUREMENT[referral.urgency]
        stopped = referral.responded_at
        if stopped is not None:
            met = "Y" if stopped <= referral.due_at else "N"
        else:
            met = "N" if now > referral.due_at else ""
        rows.append(
            {
                "ServiceRequestId": str(referral.pk),
                "UCRMeasurementType": code,
                # The clock restarts when a clinician overrides the urgency: the due time says so.
                "ClockStartDateTime": _datetime(referral.due_at - target),
                "ClockStopDateTime": _datetime(stopped),
                "ResponseStandardMet": met,
            }
        )
    return rows


# --- Care contacts (CYP201) -------------------------------------------------------------


def _accepted_referrals(
    provider: Organisation, first: dt.date, last: dt.date
) -> dict[tuple[int, int], list[tuple[dt.date, dt.date | None, int]]]:
    """Per (person, team): each accepted referral's local accept date, close date and id,
    newest first. One query; the matching to visits is done in Python, since a correlated
    subquery on a local date per visit took 15 s for a month of 10,000 visits on SQLite."""
    found: dict[tuple[int, int], list[tuple[dt.date, dt.date | None, int]]] = {}
    referrals = (
        Referral.objects.filter(
            offered_team__organisation=provider,
            status__in=[Status.ACCEPTED, Status.COMPLETED],
            accepted_at__lt=timezone.make_aware(
                dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
            ),
        )
        .filter(
            Q(closed_at__isnull=True)
            | Q(closed_at__gte=timezone.make_aware(dt.datetime.combine(first, dt.time.min)))
        )
        .values_list("patient_id", "offered_team_id", "accepted_at", "closed_at", "pk")
        .order_by("-accepted_at", "-pk")
    )
    for patient_id, team_id, accepted_at, closed_at, pk in referrals:
        closed = timezone.localtime(closed_at).date() if closed_at else None
        found.setdefault((patient_id, team_id), []).append(
            (timezone.localtime(accepted_at).date(), closed, pk)
        )
    return found


def _held_on(referrals: list[tuple[dt.date, dt.date | None, int]], day: dt.date) -> int | None:
    """The newest referral accepted on or before ``day`` and not closed before it."""
    for accepted, closed, pk in referrals:
        if accepted <= day and (closed is None or closed >= day):
            return pk
    return None


def cyp201_rows(provider: Organisation, start: dt.datetime, after: dt.datetime) -> list[Row]:
    """Finished visits by the provider's teams on days in the period, each linked to the
    referral its team had accepted for the person on that day (blank for caseload visits)."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(after).date() - dt.timedelta(days=1)
    accepted = _accepted_referrals(provider, first, last)
    visits = (
        Visit.objects.filter(
            team__organisation=provider,
            date__gte=first,
            date__lte=last,
            status__in=list(ATTENDANCE_CODE),
        )
        .select_related("team")
        .order_by("date", "window_start", "pk")
    )
    rows = []
    for visit in visits:
        attended = visit.status == VisitStatus.COMPLETED
        held = _held_on(accepted.get((visit.patient_id, visit.team_id), []), visit.date)
        rows.append(
            {
                "CareContactId": str(visit.pk),
                "ServiceRequestId": _text(held),
                "LocalPatientId": patient_key(visit.patient_id),
                "OrgID_Provider": provider.ods_code,
                "TeamIDLocal": visit.team.code,
                "CareContDate": visit.date.isoformat(),
                "CareContTime": _time(visit.planned_start or visit.window_start),
                "ClinContDurOfCareCont": str(visit.duration_minutes) if attended else "",
                "ConsMechanismCode": FACE_TO_FACE,
                "ActLocTypeCode": PATIENTS_HOME,
                "AttendOrDNACode": attendance_code(visit.status, visit.missed_reason),
                "PlannedCareContIndicator": "Y" if visit.intervention_id else "N",
            }
        )
    return rows


Builder = Callable[[Organisation, dt.datetime, dt.datetime], list[Row]]
BUILDERS: dict[str, Builder] = {
    "CYP101Referral": cyp101_rows,
    "CYP102ServiceTypeReferredTo": cyp102_rows,
    "CYP104RTT": cyp104_rows,
    "CYP201CareContact": cyp201_rows,
}


# --- The export -------------------------------------------------------------------------


def _table(name: str | Table) -> Table:
    if isinstance(name, Table):
        return name
    try:
        return table_named(name)
    except KeyError as exc:
        raise ValidationError({"table": exc.args[0]}) from None


def as_csv(table: Table, rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.column_names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def export_table(
    table: str | Table, period_start: dt.date, period_end: dt.date, *, by: Actor
) -> tuple[str, list[Problem]]:
    """The provider's rows of ``table`` for the days ``period_start`` to ``period_end``.

    Returns ``(csv_text, [])`` and writes one audit event; or ``("", problems)`` when any
    value fails its column's check, releasing nothing. Raises NoAccess for a role without
    the metrics permission, and ValidationError naming ``table`` or ``to`` for bad requests.
    """
    provider = exporting_provider(by)
    table = _table(table)
    start, after = _bounds(period_start, period_end)
    with transaction.atomic():  # one consistent reading, and its audit event with it
        rows = BUILDERS[table.name](provider, start, after)
        problems = validate_rows(table, rows)
        if problems:
            return "", problems
        _audit_export(by, table, len(rows), period_start, period_end, provider)
    return as_csv(table, rows), []


def _audit_export(
    by: Actor, table: Table, rows: int, start: dt.date, end: dt.date, provider: Organisation
) -> None:
    audit.record(
        user=by,
        action=AuditAction.EXPORT,
        purpose=Purpose.CSDS_EXPORT,
        basis="role with the metrics permission",
        detail={
            "table": table.name,
            "rows": rows,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "provider": provider.ods_code,
        },
    )
