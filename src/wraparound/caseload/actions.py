"""Every change of state in the caseload: care plans, visits, handovers, advice. Atomic, audited.

Each action loads the person through the access door (``access_patient``), so a user can
only change the record of someone they may see, and the write is audited in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission, Section
from wraparound.door.policy import (
    NoAccess,
    access_patient,
    decide,
    has_permission,
    require_section,
)
from wraparound.organisations.models import Team

from .models import (
    AdviceRequest,
    AdviceStatus,
    AdviceUrgency,
    CarePlan,
    HandoverNote,
    Intervention,
    MissedReason,
    OutcomeCorrection,
    Patient,
    Visit,
    VisitStatus,
)
from .models.visits import FINISHED, VISIT_TRANSITIONS
from .visits_due import visits_due

ADVICE_RESPONSE_TIME = {
    AdviceUrgency.URGENT: dt.timedelta(hours=4),
    AdviceUrgency.SOON: dt.timedelta(days=1),
    AdviceUrgency.ROUTINE: dt.timedelta(days=3),
}


def _staff(by: Actor) -> Any:
    staff = getattr(by, "staff_member", None)
    if staff is None:
        raise NoAccess("Only members of staff can do this")
    return staff


def _may_write(by: Actor, patient_id: int) -> bool:
    """Whether ``by`` may change this person's record (nothing is audited: ``_write`` is)."""
    may_edit = has_permission(by, Permission.EDIT_PATIENT_RECORD) or has_permission(
        by, Permission.RECORD_VISITS
    )
    patient = Patient.objects.filter(pk=patient_id).first()
    return bool(may_edit and patient is not None and decide(by, patient).allowed)


def _write(
    by: Actor, patient_id: int, purpose: Purpose, detail: dict[str, Any] | None = None
) -> Any:
    if not has_permission(by, Permission.EDIT_PATIENT_RECORD) and not has_permission(
        by, Permission.RECORD_VISITS
    ):
        raise NoAccess("Your role cannot change a person's record")
    patient, _decision = access_patient(by, patient_id, purpose, action=AuditAction.UPDATE)
    return patient


@transaction.atomic
def plan_visits(*, team: Team, day: dt.date, by: Actor) -> list[Visit]:
    """Create the day's visits from the care plans; running it again creates none twice."""
    if not has_permission(by, Permission.PLAN_TEAM_DAY, team=team):
        raise NoAccess("Only the team's leader plans its day")
    created = []
    for due in visits_due(team, day):
        key = (
            {"intervention_id": due.intervention_id, "date": day}
            if due.intervention_id is not None
            else {"patient_id": due.patient_id, "programme_contact": due.programme_contact}
        )
        visit, made = Visit.objects.get_or_create(
            **key,
            defaults={
                "date": day,
                "patient_id": due.patient_id,
                "intervention_id": due.intervention_id,
                "programme_contact": due.programme_contact,
                "team": team,
                "task": due.task,
                "window_start": due.window_start,
                "window_end": due.window_end,
                "duration_minutes": due.duration_minutes,
                "double_handed": due.double_handed,
            },
        )
        if made:
            created.append(visit)
    for patient_id in sorted({v.patient_id for v in created}):
        audit.record(
            user=by,
            action=AuditAction.CREATE,
            purpose=Purpose.PLAN_THE_DAYS_VISITS,
            patient_id=patient_id,
            basis="team caseload",
            detail={
                "visits": [v.pk for v in created if v.patient_id == patient_id],
                "date": day.isoformat(),
            },
        )
    return created


@transaction.atomic
def add_extra_visit(
    *,
    patient_id: int,
    team: Team,
    task: str,
    window_start: dt.datetime,
    window_end: dt.datetime,
    duration_minutes: int,
    by: Actor,
) -> Visit:
    """An unexpected extra visit, not from a care plan."""
    if not task.strip():
        raise ValidationError({"task": "Say what the visit is for"})
    if window_end <= window_start:
        raise ValidationError({"window_end": "The window must end after it starts"})
    patient = _write(by, patient_id, Purpose.ADD_AN_EXTRA_VISIT)
    return Visit.objects.create(
        patient=patient,
        team=team,
        task=task.strip(),
        date=timezone.localdate(window_start),
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes,
    )


@transaction.atomic
def assign_visit(
    *, visit_id: int, staff_id: int, by: Actor, planned_start: dt.datetime | None = None
) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit_id)
    if not has_permission(by, Permission.PLAN_TEAM_DAY, team=visit.team):
        raise NoAccess("Only the team's leader assigns its visits")
    if visit.status in FINISHED:
        raise ValidationError(
            {"status": f"A {visit.get_status_display().lower()} visit cannot be reassigned"}
        )
    visit.assigned_to_id = staff_id
    visit.planned_start = planned_start or visit.planned_start
    visit.status = VisitStatus.ASSIGNED
    visit.save(update_fields=["assigned_to", "planned_start", "status"])
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.ASSIGN_A_VISIT,
        patient_id=visit.patient_id,
        basis="team caseload",
        detail={"visit": visit.pk, "assigned_to": staff_id},
    )
    return visit


@transaction.atomic
def move_visit(*, visit_id: int, to: str, by: Actor) -> Visit:
    """Move a visit along its lifecycle (en route, arrived...); refuse a move it does not allow."""
    visit = Visit.objects.select_for_update().get(pk=visit_id)
    if to == visit.status:
        return visit  # a repeated tap changes nothing
    if to not in VISIT_TRANSITIONS[visit.status]:
        raise ValidationError({"status": f"A visit cannot go from {visit.status} to {to}"})
    _write(by, visit.patient_id, Purpose(f"visit {to.replace('_', ' ')}"))
    visit.status = to
    visit.save(update_fields=["status"])
    return visit


def _check_outcome(outcome: str, missed_reason: str, notes: str) -> None:
    """One outcome, chosen explicitly; a missed visit has a coded reason, a completed one none."""
    if outcome not in {VisitStatus.COMPLETED, VisitStatus.MISSED}:
        raise ValidationError({"outcome": "Choose completed or missed"})
    if outcome == VisitStatus.COMPLETED and missed_reason:
        raise ValidationError(
            {"missed_reason": "A completed visit has no reason for missing it: choose one outcome"}
        )
    if outcome == VisitStatus.MISSED and missed_reason not in MissedReason.values:
        raise ValidationError({"missed_reason": "Choose why the visit could not be done"})
    if missed_reason == MissedReason.OTHER and not notes.strip():
        raise ValidationError({"notes": "Say in the notes why the visit could not be done"})


@transaction.atomic
def record_visit_outcome(
    *, visit_id: int, outcome: str, by: Actor, notes: str = "", missed_reason: str = ""
) -> Visit:
    """Record a visit completed or missed. Submitting the same outcome again records nothing new."""
    missed_reason = missed_reason.strip()
    _check_outcome(outcome, missed_reason, notes)
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None:
        # The same refusal as a visit that exists but is not the user's to record.
        raise NoAccess("You cannot record this visit")
    # Who may record it is settled before anything about the visit is said; a refusal is
    # audited by the door, a repeat of the same outcome records nothing at all.
    if not _may_write(by, visit.patient_id):
        _write(by, visit.patient_id, Purpose(f"record a visit {outcome}"))
    if visit.status == outcome:
        return visit
    if visit.status in FINISHED:
        raise ValidationError(
            {
                "outcome": f"This visit was already recorded as "
                f"{visit.get_status_display().lower()}: correct it instead"
            }
        )
    staff = _staff(by)
    _write(by, visit.patient_id, Purpose(f"record a visit {outcome}"))
    visit.status = outcome
    visit.outcome_notes = notes.strip()
    visit.missed_reason = missed_reason if outcome == VisitStatus.MISSED else ""
    visit.finished_at = timezone.now()
    visit.recorded_by = staff
    if visit.assigned_to_id is None:
        visit.assigned_to = staff
    visit.save()
    return visit


def check_outcome_correction(
    *, visit_id: int, outcome: str, reason: str, by: Actor, missed_reason: str, notes: str
) -> tuple[Visit, Any]:
    """What ``correct_visit_outcome`` checks before it changes anything: the new outcome and
    the reason, that the visit is the actor's to correct, and that it changes something.
    Returns the visit (locked) and the member of staff correcting it."""
    _check_outcome(outcome, missed_reason, notes or reason)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record was wrong"})
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None or not _may_write(by, visit.patient_id):
        raise NoAccess("You cannot correct this visit")
    staff = _staff(by)
    if visit.recorded_by_id != staff.pk:
        raise NoAccess("Only the person who recorded the outcome can correct it")
    if visit.status not in {VisitStatus.COMPLETED, VisitStatus.MISSED}:
        raise ValidationError({"outcome": "Only a recorded outcome can be corrected"})
    if (visit.status, visit.missed_reason) == (outcome, missed_reason):
        raise ValidationError({"outcome": "That is what the record already says"})
    return visit, staff


@transaction.atomic
def correct_visit_outcome(
    *, visit_id: int, outcome: str, reason: str, by: Actor, missed_reason: str = "", notes: str = ""
) -> Visit:
    """The author of a recorded outcome corrects it, saying why; old and new are audited."""
    missed_reason = missed_reason.strip()
    visit, staff = check_outcome_correction(
        visit_id=visit_id,
        outcome=outcome,
        reason=reason,
        by=by,
        missed_reason=missed_reason,
        notes=notes,
    )
    before = {"status": visit.status, "missed_reason": visit.missed_reason}
    OutcomeCorrection.objects.create(
        visit=visit,
        corrected_at=timezone.now(),
        by=staff,
        from_status=visit.status,
        to_status=outcome,
        from_missed_reason=visit.missed_reason,
        to_missed_reason=missed_reason,
        reason=reason.strip()[:500],
    )
    visit.status = outcome
    visit.missed_reason = missed_reason if outcome == VisitStatus.MISSED else ""
    if notes.strip():
        visit.outcome_notes = notes.strip()
    visit.save(update_fields=["status", "missed_reason", "outcome_notes"])
    _write(by, visit.patient_id, Purpose.CORRECT_A_VISIT_OUTCOME)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.VISIT_OUTCOME_CORRECTED,
        patient_id=visit.patient_id,
        basis="author of the outcome",
        detail={
            "visit_id": visit.pk,
            "changes": audit.changes(
                before, {"status": outcome, "missed_reason": visit.missed_reason}
            ),
            "reason": reason.strip()[:500],
        },
    )
    return visit


@transaction.atomic
def write_handover(*, patient_id: int, text: str, by: Actor) -> HandoverNote:
    require_section(by, Section.HANDOVER)
    if not text.strip():
        raise ValidationError({"text": "Write the handover"})
    patient = _write(by, patient_id, Purpose.WRITE_A_HANDOVER_NOTE)
    return HandoverNote.objects.create(
        patient=patient,
        author=by,
        team=_staff(by).team,
        text=text.strip(),
        written_at=timezone.now(),
    )


@transaction.atomic
def ask_advice(
    *, patient_id: int, adviser_team: Team, question: str, urgency: str, by: Actor
) -> AdviceRequest:
    """Ask another service about a person; the answer is expected within the urgency's time."""
    require_section(by, Section.ADVICE)
    if urgency not in AdviceUrgency.values:
        raise ValidationError({"urgency": f"'{urgency}' is not an urgency"})
    if not question.strip():
        raise ValidationError({"question": "Write the question"})
    patient = _write(by, patient_id, Purpose.ASK_FOR_ADVICE)
    now = timezone.now()
    return AdviceRequest.objects.create(
        patient=patient,
        asked_by=by,
        asking_organisation=_staff(by).organisation,
        adviser_team=adviser_team,
        question=question.strip(),
        urgency=urgency,
        asked_at=now,
        respond_by=now + ADVICE_RESPONSE_TIME[urgency],
    )


@transaction.atomic
def answer_advice(*, request_id: int, answer: str, by: Actor) -> AdviceRequest:
    """The adviser's answer, on the person's record. Answering twice keeps the first answer."""
    require_section(by, Section.ADVICE)
    if not answer.strip():
        raise ValidationError({"answer": "Write the answer"})
    request = AdviceRequest.objects.select_for_update().get(pk=request_id)
    staff = _staff(by)
    if (
        staff.team_id != request.adviser_team_id
        and staff.organisation_id != request.adviser_team.organisation_id
    ):
        raise NoAccess("Only the service that was asked can answer")
    if request.status == AdviceStatus.ANSWERED:
        return request
    _write(by, request.patient_id, Purpose.ANSWER_AN_ADVICE_REQUEST)
    request.status = AdviceStatus.ANSWERED
    request.answer = answer.strip()
    request.answered_by = by
    request.answered_at = timezone.now()
    request.save()
    return request


@transaction.atomic
def start_care_plan(
    *, patient_id: int, team: Team, title: str, review_on: dt.date, by: Actor, key_alerts: str = ""
) -> CarePlan:
    patient = _write(by, patient_id, Purpose.START_A_CARE_PLAN)
    today = timezone.localdate()
    if review_on < today:
        raise ValidationError({"review_on": "The review date must not be in the past"})
    return CarePlan.objects.create(
        patient=patient,
        team=team,
        title=title,
        starts_on=today,
        review_on=review_on,
        key_alerts=key_alerts,
        created_by=by,
    )


@transaction.atomic
def add_intervention(
    *, care_plan: CarePlan, by: Actor, skills: list[Any] | None = None, **fields: Any
) -> Intervention:
    _write(by, care_plan.patient_id, Purpose.ADD_AN_INTERVENTION)
    intervention = Intervention(care_plan=care_plan, **fields)
    try:
        intervention.full_clean(exclude=["care_plan"])
        intervention.save()
    except IntegrityError as exc:
        raise ValidationError({"__all__": str(exc)}) from exc
    if skills:
        intervention.skills.set(skills)
    return intervention
