"""A fall call from the call to the remote clinician's sign-off, and a responder's availability."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.door.policy import UNKNOWN_PERSON, access_patient, identify_patient
from wraparound.needs import Need
from wraparound.referrals.actions import submit_referral
from wraparound.referrals.models import Source

from .. import dispatch
from ..falls import CHECKLIST, triage_fall, unconfirmed
from ..models import (
    FallCall,
    FallDecision,
    Responder,
)
from .checks import clock_words, moment, require, text


@transaction.atomic
def take_fall_call(
    *,
    nhs_number: str,
    date_of_birth: dt.date,
    answers: Mapping[str, object],
    idempotency_key: str,
    by: Actor,
    call_at: dt.datetime | None = None,
    fell_at: dt.datetime | None = None,
) -> tuple[FallCall, bool]:
    """Record a call for a faller, triage it to level 1 or 2 and send the nearest help.

    The faller is identified by NHS number and date of birth (the door's one way to find a
    person); the call then gives the centre sight of them. A red flag is refused (it is a
    999 call); the same key again returns the call made.
    """
    require_actor(by)
    require(by, Permission.TAKE_FALLS_CALLS, "Your role does not take falls calls")
    staff = staff_of(by)
    assert staff is not None
    key = text(idempotency_key, "idempotency_key", "an idempotency key", max_length=100)
    patient = identify_patient(nhs_number, date_of_birth, purpose=Purpose.FALL_CALL_TAKEN, by=by)
    if patient is None:
        raise ValidationError({"nhs_number": UNKNOWN_PERSON})
    existing = FallCall.objects.filter(
        taken_by_organisation_id=staff.organisation_id, idempotency_key=key
    ).first()
    if existing is not None:
        if existing.patient_id != patient.pk:
            raise ValidationError({"idempotency_key": "This key was used for another call"})
        return existing, False
    now = timezone.now()
    called = moment(call_at, "call_at", now)
    fell = moment(fell_at, "fell_at", now) if fell_at else None
    if fell is not None and fell > called:
        raise ValidationError({"fell_at": "The fall cannot be after the call about it"})
    try:
        triaged = triage_fall(answers)
    except ValueError as exc:  # a red flag (NotForFallsResponse) or an unknown question
        raise ValidationError({"answers": str(exc)}) from exc
    call = FallCall(
        patient_id=patient.pk,
        neighbourhood_id=patient.neighbourhood_id,
        taken_by=by,
        taken_by_organisation_id=staff.organisation_id,
        idempotency_key=key,
        call_at=called,
        fell_at=fell,
        answers=dict(answers),
        level=triaged.level,
        triage_reason=triaged.reason,
    )
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        raise ValidationError({"idempotency_key": "This call was just recorded"}) from None
    # Now the call is the centre's ground for seeing the person: read through the door.
    faller, _ = access_patient(by, patient.pk, Purpose.FALL_CALL_TAKEN)
    help_sent = dispatch.send_help(call, faller, now)
    call.save(update_fields=["responder", "crew", "dispatched_at", "dispatch_note"])
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.FALL_CALL_TAKEN,
        patient_id=patient.pk,
        basis="falls call taken",
        detail={"call_id": call.pk, "level": call.level, "sent": help_sent},
    )
    return call, True


def _locked_call(call_id: int) -> FallCall:
    call = FallCall.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise ValidationError({"call": "No such fall call"})
    return call


def _part_in(by: Actor, call: FallCall) -> bool:
    staff = staff_of(by)
    if staff is None:
        return False
    return (
        (call.responder is not None and call.responder.staff_id == staff.pk)
        or call.crew_id == staff.pk
        or (
            staff.organisation_id == call.taken_by_organisation_id
            and has_permission(by, Permission.TAKE_FALLS_CALLS)
        )
    )


CLOCKS = {"on_scene": "on_scene_at", "off_floor": "off_floor_at"}


@transaction.atomic
def record_fall_clock(*, call_id: int, clock: str, at: dt.datetime, by: Actor) -> FallCall:
    """On scene, or off the floor: by the responder or crew sent, or the centre that took it.

    Each clock keeps its order (call, on scene, off the floor); a correction is audited with
    its old and new times.
    """
    require_actor(by)
    call = _locked_call(call_id)
    if not _part_in(by, call):
        raise NoAccess("Only the responder or crew sent, or the centre that took it, records this")
    if clock not in CLOCKS:
        raise ValidationError({"clock": f"'{clock}' is not on_scene or off_floor"})
    field = CLOCKS[clock]
    if call.closed_at is not None:
        raise ValidationError({field: "The call is closed"})
    when = moment(at, field, timezone.now())
    if field == "on_scene_at" and when < call.call_at:
        raise ValidationError(
            {field: f"On scene cannot be before the call ({clock_words(call.call_at)})"}
        )
    if field == "on_scene_at" and call.off_floor_at and when > call.off_floor_at:
        raise ValidationError({field: "On scene cannot be after off the floor"})
    if field == "off_floor_at":
        if call.on_scene_at is None:
            raise ValidationError({field: "Record on scene first"})
        if when < call.on_scene_at:
            raise ValidationError(
                {
                    field: f"Off the floor cannot be before on scene ({clock_words(call.on_scene_at)})"
                }
            )
    was = getattr(call, field)
    if was == when:
        return call
    setattr(call, field, when)
    call.save(update_fields=[field])
    before = {field: was.isoformat() if was else None}
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.FALL_CLOCK_RECORDED,
        patient_id=call.patient_id,
        basis="sent to the fall",
        detail={"call_id": call.pk, "changes": audit.changes(before, {field: when.isoformat()})},
    )
    return call


def _onward_referral(call: FallCall, need: str, summary: str, by: Actor) -> int:
    referral, _ = submit_referral(
        by=by,
        patient=call.patient,
        source=Source.NHS_111,
        needs=[need],
        clinical_summary=summary,
        idempotency_key=f"fall-call-{call.pk}-{need}",
    )
    return referral.pk


@transaction.atomic
def sign_off_fall(
    *,
    call_id: int,
    checklist: Mapping[str, object],
    decision: str,
    by: Actor,
    note: str = "",
    refer_to_falls_prevention: bool = False,
) -> FallCall:
    """The remote clinician's decision, which ends the call: leave at home (every checklist
    item confirmed, the person off the floor), refer to urgent response today, or convey.

    Leaving at home or referring can send a routine referral to falls prevention through
    the front door; referring sends a 2-hour one to urgent community response.
    """
    require_actor(by)
    require(by, Permission.SIGN_OFF_FALLS, "Your role may not sign off a fall: a clinician does")
    call = _locked_call(call_id)
    if unknown := sorted(set(checklist) - set(CHECKLIST)):
        raise ValidationError({"checklist": f"'{unknown[0]}' is not a checklist item"})
    if decision not in FallDecision.values:
        raise ValidationError({"decision": f"'{decision}' is not a decision for a fall"})
    if call.signed_off_by_id is not None:
        if call.decision == decision and call.signed_off_by_id == by.pk:
            return call  # the same sign-off again: a retry
        raise ValidationError({"decision": f"Already signed off: {call.get_decision_display()}"})
    if call.on_scene_at is None:
        raise ValidationError({"decision": "Sign off with someone on scene: none is recorded"})
    if decision == FallDecision.LEAVE_AT_HOME:
        if call.off_floor_at is None:
            raise ValidationError({"decision": "The person is not recorded as off the floor"})
        if missing := unconfirmed(checklist):
            words = "; ".join(CHECKLIST[item] for item in missing)
            raise ValidationError({"checklist": f"Not confirmed: {words}"})
    if refer_to_falls_prevention and decision == FallDecision.CONVEY:
        raise ValidationError({"refer_to_falls_prevention": "Hospital refers on after conveying"})
    now = timezone.now()
    call.signed_off_by = by
    call.signed_off_at = now
    call.checklist = {item: checklist.get(item) is True for item in CHECKLIST}
    call.decision = decision
    call.decision_note = (note or "").strip()[:500]
    call.closed_at = now
    if decision == FallDecision.REFER:
        call.urgent_referral_id = _onward_referral(
            call, Need.FALL, f"Fall call {call.pk}: {call.triage_reason}", by
        )
    if refer_to_falls_prevention:
        call.onward_referral_id = _onward_referral(
            call,
            Need.FALLS_PREVENTION,
            f"Fell at home (fall call {call.pk}); signed off to stay at home. {call.decision_note}",
            by,
        )
    call.save()
    dispatch.release(call, now)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.FALL_SIGNED_OFF,
        patient_id=call.patient_id,
        basis="remote clinician",
        detail={
            "call_id": call.pk,
            "decision": decision,
            "checklist": call.checklist,
            "onward_referral": call.onward_referral_id,
            "urgent_referral": call.urgent_referral_id,
            "long_lie": call.long_lie(now),
        },
    )
    return call


@transaction.atomic
def set_responder_availability(*, responder_id: int, available: bool, by: Actor) -> Responder:
    """A responder (or the centre) says whether they can be sent."""
    require_actor(by)
    responder = Responder.objects.select_for_update().get(pk=responder_id)
    staff = staff_of(by)
    if staff is None or (
        staff.pk != responder.staff_id and not has_permission(by, Permission.TAKE_FALLS_CALLS)
    ):
        raise NoAccess("Only the responder or the centre that sends them changes this")
    before = {"available": responder.available}
    responder.available = available
    responder.changed_at = timezone.now()
    responder.save(update_fields=["available", "changed_at"])
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.RESPONDER_AVAILABILITY,
        detail={
            "responder": responder.pk,
            "changes": audit.changes(before, {"available": available}),
        },
    )
    return responder
