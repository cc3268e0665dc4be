"""Every change of state of a hospital stay: received from the hospital (a CSV row or a FHIR
Encounter, both idempotent), reviewed against the criteria to reside, and discharged.
Atomic, audited with old and new values, by the hospital's own staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.door.policy import UNKNOWN_PERSON, identify_patient
from wraparound.metrics.extract import month_of, week_of
from wraparound.metrics.models import HospitalDay
from wraparound.organisations.models import Organisation
from wraparound.referrals.actions import submit_referral
from wraparound.referrals.models import Source

from ..delays import REASONS
from ..destinations import destinations
from ..models import CriteriaReview, HospitalStay, Pathway
from ..pathways import PATHWAY_NEEDS
from ..report import sitrep
from .checks import hospital_of

CLOCK_SKEW = dt.timedelta(minutes=5)
TRACKED = (
    "ward",
    "ready_since",
    "pathway",
    "delay_reason",
    "delay_since",
    "discharged_at",
    "discharge_destination",
)


@dataclass(frozen=True)
class StayReport:
    """A stay as the hospital reports it today (one CSV row, or one Encounter)."""

    encounter_id: str
    nhs_number: str
    date_of_birth: dt.date
    admitted_at: dt.datetime
    ward: str = ""
    ready_since: dt.date | None = None
    pathway: str = ""
    delay_reason: str = ""
    delay_since: dt.date | None = None
    discharged_at: dt.datetime | None = None
    discharge_destination: str = ""
    criteria_decided_by: str = ""


def check_stay_report(report: StayReport, today: dt.date, now: dt.datetime) -> None:
    """Every rule a report must keep, each refusal naming its field."""
    if not report.encounter_id.strip() or len(report.encounter_id) > 64:
        raise ValidationError({"encounter_id": "Give the hospital's id for the stay (64 at most)"})
    for name in ("admitted_at", "discharged_at"):
        when = getattr(report, name)
        if when is not None and timezone.is_naive(when):
            raise ValidationError({name: "Give the time with its time zone"})
        if when is not None and when > now + CLOCK_SKEW:
            raise ValidationError({name: "cannot be in the future"})
    if report.discharged_at and report.discharged_at < report.admitted_at:
        raise ValidationError({"discharged_at": "cannot be before the admission"})
    admitted_on = timezone.localdate(report.admitted_at)
    if report.ready_since is not None:
        if report.ready_since < admitted_on or report.ready_since > today:
            raise ValidationError({"ready_since": "must be between admission and today"})
        if report.pathway not in Pathway.values:
            raise ValidationError(
                {"pathway": "A person ready to leave needs a discharge pathway (0, 1, 2 or 3)"}
            )
    elif report.pathway and report.pathway not in Pathway.values:
        raise ValidationError({"pathway": f"'{report.pathway}' is not pathway 0, 1, 2 or 3"})
    if report.discharge_destination and report.discharge_destination not in destinations():
        raise ValidationError(
            {
                "discharge_destination": f"'{report.discharge_destination}' is not a "
                "discharge destination code (19: usual place of residence, 54 or 85: a care "
                "home, 79: died, 99: not known)"
            }
        )
    waiting = report.ready_since is not None and report.discharged_at is None
    if report.delay_reason:
        if report.delay_reason not in REASONS:
            raise ValidationError(
                {"delay_reason": f"'{report.delay_reason}' is not a delay reason"}
            )
        if report.ready_since is None:
            # A delay is kept once the person has left: it says why they waited.
            raise ValidationError({"delay_reason": "Only someone ready to leave waits"})
        if report.delay_since is None or report.delay_since < report.ready_since:  # type: ignore[operator]
            raise ValidationError({"delay_since": "Give the day the delay began (from ready)"})
    elif waiting and report.ready_since is not None and report.ready_since < today:
        # Ready on an earlier day and still here: waiting, so the reason must be said.
        raise ValidationError({"delay_reason": "Someone ready and still waiting needs a reason"})


def _fields(report: StayReport) -> dict[str, object]:
    return {
        "ward": report.ward.strip()[:100],
        "ready_since": report.ready_since,
        "pathway": report.pathway,
        "delay_reason": report.delay_reason,
        "delay_since": report.delay_since if report.delay_reason else None,
        "discharged_at": report.discharged_at,
        "discharge_destination": report.discharge_destination,
    }


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


@transaction.atomic
def receive_stay(*, report: StayReport, by: Actor) -> tuple[HospitalStay, str]:
    """Store or update a stay from the hospital's report; (stay, "new" | "changed" | "same").

    The same report again changes nothing; a changed one is audited field by field.
    """
    require_actor(by)
    hospital = hospital_of(by)
    now = timezone.now()
    today = timezone.localdate(now)
    check_stay_report(report, today, now)
    stay = (
        HospitalStay.objects.select_for_update()
        .filter(hospital=hospital, encounter_id=report.encounter_id)
        .first()
    )
    fields = _fields(report)
    if stay is None:
        patient = identify_patient(
            report.nhs_number, report.date_of_birth, purpose=Purpose.HOSPITAL_LIST, by=by
        )
        if patient is None:
            raise ValidationError({"nhs_number": UNKNOWN_PERSON})
        stay = HospitalStay.objects.create(
            hospital=hospital,
            encounter_id=report.encounter_id,
            patient=patient,
            admitted_at=report.admitted_at,
            received_at=now,
            changed_at=now,
            **fields,
        )
        outcome, changes = "new", {}
    else:
        if stay.patient.nhs_number != report.nhs_number:
            raise ValidationError({"nhs_number": "This encounter is another person's"})
        before = {name: getattr(stay, name) for name in TRACKED}
        if before == fields:
            return stay, "same"
        for name, value in fields.items():
            setattr(stay, name, value)
        stay.changed_at = now
        stay.save()
        outcome = "changed"
        changes = audit.changes(
            {k: _shown(v) for k, v in before.items()}, {k: _shown(v) for k, v in fields.items()}
        )
    if report.criteria_decided_by or report.ready_since:
        _review(stay, today, report, by, now)
    audit.record(
        user=by,
        action=AuditAction.CREATE if outcome == "new" else AuditAction.UPDATE,
        purpose=Purpose.HOSPITAL_STAY_RECEIVED,
        patient_id=stay.patient_id,
        basis="the hospital's own list",
        detail={"stay_id": stay.pk, "encounter": stay.encounter_id, "changes": changes},
    )
    return stay, outcome


@transaction.atomic
def update_stay(*, stay_id: int, by: Actor, **changes: Any) -> HospitalStay:
    """The ward's own change to a stay on its list (today's review, the delay, leaving).

    The stay as last reported with these fields changed, received as a report: so it keeps
    every rule a report keeps, is audited field by field, and the same change again changes
    nothing.
    """
    require_actor(by)
    hospital = hospital_of(by)
    unknown = sorted(set(changes) - {*TRACKED, "criteria_decided_by"})
    if unknown:
        raise TypeError(f"not a field of a stay the ward changes: {', '.join(unknown)}")
    stay = (
        HospitalStay.objects.select_related("patient").filter(pk=stay_id, hospital=hospital).first()
    )
    if stay is None:
        raise ValidationError({"stay": "No such stay in your hospital"})
    fields: dict[str, Any] = {name: getattr(stay, name) for name in TRACKED}
    fields.update(changes)
    report = StayReport(
        encounter_id=stay.encounter_id,
        nhs_number=stay.patient.nhs_number,
        date_of_birth=stay.patient.date_of_birth,
        admitted_at=stay.admitted_at,
        **fields,
    )
    return receive_stay(report=report, by=by)[0]


def _review(
    stay: HospitalStay, today: dt.date, report: StayReport, by: Actor, now: dt.datetime
) -> None:
    """Today's criteria-to-reside review, as the report says it (one a day)."""
    CriteriaReview.objects.update_or_create(
        stay=stay,
        reviewed_on=today,
        defaults={
            "meets_criteria": report.ready_since is None,
            "reviewed_by": by if getattr(by, "is_authenticated", False) else None,
            "decided_by": (report.criteria_decided_by or "not given")[:120],
            "recorded_at": now,
        },
    )


@transaction.atomic
def refer_to_hub(*, stay_id: int, by: Actor) -> HospitalStay:
    """Send the care transfer hub a referral for the person's pathway, through the front door.

    One referral for each pathway's need: sending again returns the one made (its key is the
    stay and the pathway), so the hub never holds two for the same need.
    """
    require_actor(by)
    hospital = hospital_of(by)
    stay = (
        HospitalStay.objects.select_for_update()
        .select_related("patient")
        .filter(pk=stay_id, hospital=hospital)
        .first()
    )
    if stay is None:
        raise ValidationError({"stay": "No such stay in your hospital"})
    if stay.ready_since is None or stay.discharged_at is not None:
        raise ValidationError({"stay": "Refer someone who is ready to leave and still here"})
    needs = PATHWAY_NEEDS[stay.pathway]
    if not needs:
        raise ValidationError({"pathway": "Pathway 0 goes home with no new support: no referral"})
    referral, _ = submit_referral(
        by=by,
        patient=stay.patient,
        source=Source.HOSPITAL_DISCHARGE,
        needs=list(needs),
        clinical_summary=(
            f"Ready to leave {hospital.name} since {stay.ready_since:%d %b %Y} "
            f"({stay.get_pathway_display()}); {stay.ward or 'ward not given'}."
        ),
        idempotency_key=f"discharge-{stay.pk}-pathway-{stay.pathway}",
    )
    if stay.hub_referral_id != referral.pk:
        stay.hub_referral = referral
        stay.save(update_fields=["hub_referral"])
    return stay


@transaction.atomic
def record_hospital_days(*, by: Actor, first: dt.date, last: dt.date) -> int:
    """Each hospital's days from ``first`` to ``last`` as the sitrep counts them, into the
    metrics extract (replacing what was recorded for those days); the rows written.

    Run nightly for the day before (``wraparound discharge count-days``), by the system.
    """
    require_actor(by)
    if not isinstance(by, System) and not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Hospital days are counted by the system or an administrator")
    if last < first:
        raise ValidationError({"last": "The period must end on or after its first day"})
    hospitals = Organisation.objects.filter(stays__isnull=False).distinct().select_related("place")
    rows = []
    for hospital in hospitals:
        day = first
        while day <= last:
            report = sitrep(hospital, day)
            rows.append(
                HospitalDay(
                    provider_code=hospital.ods_code,
                    team_code=hospital.ods_code,
                    place_code=hospital.place.code if hospital.place else "",
                    day=day,
                    week=week_of(day),
                    month=month_of(day),
                    occupied_bed_days=report.occupied_beds,
                    delayed_bed_days=report.delayed_bed_days,
                    super_stranded=report.long_stays[21],
                )
            )
            day += dt.timedelta(days=1)
    HospitalDay.objects.filter(day__gte=first, day__lte=last).delete()
    HospitalDay.objects.bulk_create(rows, batch_size=2000)
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.HOSPITAL_DAYS_COUNTED,
        detail={"first": first.isoformat(), "last": last.isoformat(), "rows": len(rows)},
    )
    return len(rows)
