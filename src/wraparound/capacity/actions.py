"""Every change of state in capacity: admissions and discharges (which move a ward's census
and the directory's capacity with it), fall calls from the call to the clinician's sign-off,
and a responder's availability. Atomic, audited, permission-checked, with a typed actor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import CaseloadEntry
from wraparound.directory.actions import record_live_capacity
from wraparound.directory.models import ServiceType
from wraparound.door.policy import UNKNOWN_PERSON, access_patient, identify_patient
from wraparound.needs import Need
from wraparound.referrals.actions import submit_referral
from wraparound.referrals.models import Referral, Source
from wraparound.referrals.triage import Urgency

from . import dispatch
from .falls import CHECKLIST, NotForFallsResponse, triage_fall, unconfirmed
from .live import ward_rag
from .models import (
    DemandHour,
    Direction,
    Disposition,
    FallCall,
    FallDecision,
    Pathway,
    Responder,
    Ward,
    WardStay,
)

CLOCK_SKEW = dt.timedelta(minutes=5)
MEDICATION_CHANGES = ("started", "stopped", "dose changed")
MAX_TEXT = 4000


def _require(by: Actor, permission: Permission, refusal: str) -> None:
    if not has_permission(by, permission):
        raise NoAccess(refusal)


def _text(value: str | None, field: str, what: str, *, max_length: int = 300) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"Give {what}"})
    if len(text) > max_length:
        raise ValidationError({field: f"Keep {what} to {max_length} characters"})
    return text


def _moment(value: dt.datetime | None, field: str, now: dt.datetime) -> dt.datetime:
    when = value or now
    if timezone.is_naive(when):
        raise ValidationError({field: "Give the time with its time zone"})
    if when > now + CLOCK_SKEW:
        raise ValidationError({field: "cannot be in the future"})
    return when


def _clock(when: dt.datetime) -> str:
    return f"{timezone.localtime(when):%d %b %H:%M}"


# Wards ------------------------------------------------------------------------------------


def _sync_directory(ward: Ward, by: Actor, when: dt.datetime) -> None:
    """The ward's directory entry says what the census says, as true now."""
    free = ward.places - ward.census
    record_live_capacity(
        service_id=ward.service_id,
        capacity=ward_rag(free, ward.places),
        free_slots=free,
        source=f"{ward.get_kind_display()} census",
        by=by,
        when=when,
    )


def _move_census(ward: Ward, step: int, when: dt.datetime) -> None:
    Ward.objects.filter(pk=ward.pk).update(census=F("census") + step, census_changed_at=when)
    ward.refresh_from_db(fields=["census", "census_changed_at"])


def _role_words(by: Actor) -> str:
    staff = staff_of(by)
    assert staff is not None  # has_permission needs a member of staff
    return f"{staff.get_role_display()}, {staff.get_profession_display()}"[:120]


@transaction.atomic
def admit_to_ward(
    *,
    ward_id: int,
    patient_id: int,
    direction: str,
    pathway: str,
    reason: str,
    by: Actor,
    out_of_hours_cover: str = "",
    admitted_at: dt.datetime | None = None,
) -> tuple[WardStay, bool]:
    """Admit a person to a virtual ward or community bed; (stay, admitted now).

    Only an authorised senior clinician admits. The person must be one the clinician may
    see. Admitting again someone already on the ward returns their stay (a retry).
    """
    require_actor(by)
    _require(
        by,
        Permission.ADMIT_TO_VIRTUAL_WARD,
        "Only an authorised senior clinician (a GP, consultant or consultant practitioner) "
        "admits to a virtual ward",
    )
    now = timezone.now()
    when = _moment(admitted_at, "admitted_at", now)
    if direction not in Direction.values:
        raise ValidationError({"direction": f"'{direction}' is not step-up or step-down"})
    found = Pathway.objects.filter(code=pathway).first()
    if found is None:
        raise ValidationError({"pathway": f"'{pathway}' is not one of the ward's pathways"})
    why = _text(reason, "reason", "the reason for admission")
    ward = Ward.objects.select_for_update().select_related("service").filter(pk=ward_id).first()
    if ward is None:
        raise ValidationError({"ward": "No such ward"})
    patient, _ = access_patient(by, patient_id, Purpose.WARD_ADMISSION)
    open_stay = ward.stays.filter(patient=patient, discharged_at__isnull=True).first()
    if open_stay is not None:
        return open_stay, False
    if ward.census >= ward.places:
        raise ValidationError(
            {"ward": f"{ward} is full: all {ward.places} places are taken. Look for another."}
        )
    # The ward's team takes the person on its caseload for the stay; one already on it stays
    # on it after the discharge too (the stay links only an entry it made).
    on_caseload = CaseloadEntry.objects.filter(
        team_id=ward.service.team_id, patient=patient, discharged_on__isnull=True
    ).exists()
    entry = None
    if not on_caseload:
        entry = CaseloadEntry.objects.create(
            team_id=ward.service.team_id,
            patient=patient,
            admitted_on=timezone.localdate(when),
            reason=f"{ward}: {why}"[:200],
        )
    stay = WardStay.objects.create(
        ward=ward,
        patient=patient,
        direction=direction,
        pathway=found,
        reason=why,
        admitted_at=when,
        admitted_by=by,
        admitted_by_role=_role_words(by),
        out_of_hours_cover=(out_of_hours_cover or ward.out_of_hours_cover).strip()[:300],
        caseload_entry=entry,
    )
    _move_census(ward, +1, now)
    _sync_directory(ward, by, now)
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.WARD_ADMISSION,
        patient_id=patient.pk,
        basis="authorised senior clinician",
        detail={"stay_id": stay.pk, "ward": ward.pk, "direction": direction, "pathway": pathway},
    )
    return stay, True


def _medication_changes(changes: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for i, change in enumerate(changes):
        field = f"medication_changes[{i}]"
        medicine = str(change.get("medicine") or "").strip()
        if not medicine:
            raise ValidationError({f"{field}.medicine": "Name the medicine"})
        kind = str(change.get("change") or "")
        if kind not in MEDICATION_CHANGES:
            raise ValidationError(
                {f"{field}.change": f"'{kind}' is not {', '.join(MEDICATION_CHANGES)}"}
            )
        cleaned.append(
            {"medicine": medicine[:200], "change": kind, "detail": str(change.get("detail") or "")}
        )
    return cleaned


@transaction.atomic
def discharge_from_ward(
    *,
    stay_id: int,
    disposition: str,
    gp_summary: str,
    medication_changes: Sequence[Mapping[str, Any]],
    by: Actor,
    discharged_at: dt.datetime | None = None,
) -> WardStay:
    """End a stay with a summary for the GP that lists medication changes (an empty list
    says there were none); the census falls by one, never below nought."""
    require_actor(by)
    _require(
        by,
        Permission.ADMIT_TO_VIRTUAL_WARD,
        "Only an authorised senior clinician discharges from a virtual ward",
    )
    now = timezone.now()
    stay = WardStay.objects.select_for_update().filter(pk=stay_id).first()
    if stay is None:
        raise ValidationError({"stay": "No such stay"})
    ward = Ward.objects.select_for_update().get(pk=stay.ward_id)
    if stay.discharged_at is not None:
        raise ValidationError({"stay": f"Already discharged on {_clock(stay.discharged_at)}"})
    if ward.census == 0:
        raise ValidationError({"ward": f"{ward} has no one on it to discharge"})
    when = _moment(discharged_at, "discharged_at", now)
    if when < stay.admitted_at:
        raise ValidationError({"discharged_at": "cannot be before the admission"})
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": f"'{disposition}' is not a discharge destination"})
    summary = _text(gp_summary, "gp_summary", "a summary for the GP", max_length=MAX_TEXT)
    medicines = _medication_changes(medication_changes)
    patient, _ = access_patient(by, stay.patient_id, Purpose.WARD_DISCHARGE)
    stay.discharged_at = when
    stay.discharged_by = by
    stay.disposition = disposition
    stay.gp_summary = summary
    stay.medication_changes = medicines
    stay.summary_for = patient.registered_practice
    stay.save()
    if stay.caseload_entry_id:
        CaseloadEntry.objects.filter(pk=stay.caseload_entry_id).update(
            discharged_on=timezone.localdate(when)
        )
    _move_census(ward, -1, now)
    _sync_directory(ward, by, now)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.WARD_DISCHARGE,
        patient_id=patient.pk,
        basis="authorised senior clinician",
        detail={"stay_id": stay.pk, "disposition": disposition, "medicines": len(medicines)},
    )
    return stay


@transaction.atomic
def set_ward_places(*, ward_id: int, places: int, by: Actor) -> Ward:
    """The provider's manager changes the ward's places; never below the people on it."""
    ward = Ward.objects.select_for_update().select_related("service__provider").get(pk=ward_id)
    if not has_permission(by, Permission.MANAGE_SERVICES, organisation=ward.service.provider):
        raise NoAccess(f"Only {ward.service.provider} changes {ward}'s places")
    if places < 1:
        raise ValidationError({"places": "A ward has at least one place"})
    if places < ward.census:
        raise ValidationError(
            {"places": f"{ward.census} people are on the ward: it cannot have fewer places"}
        )
    before = {"places": ward.places}
    ward.places = places
    ward.save(update_fields=["places"])
    now = timezone.now()
    _sync_directory(ward, by, now)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.WARD_PLACES_CHANGED,
        detail={"ward": ward.pk, "changes": audit.changes(before, {"places": places})},
    )
    return ward


# Falls ------------------------------------------------------------------------------------


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
    _require(by, Permission.TAKE_FALLS_CALLS, "Your role does not take falls calls")
    staff = staff_of(by)
    assert staff is not None
    key = _text(idempotency_key, "idempotency_key", "an idempotency key", max_length=100)
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
    called = _moment(call_at, "call_at", now)
    fell = _moment(fell_at, "fell_at", now) if fell_at else None
    if fell is not None and fell > called:
        raise ValidationError({"fell_at": "The fall cannot be after the call about it"})
    try:
        triaged = triage_fall(answers)
    except NotForFallsResponse as exc:
        raise ValidationError({"answers": str(exc)}) from exc
    except ValueError as exc:
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
    when = _moment(at, field, timezone.now())
    if field == "on_scene_at" and when < call.call_at:
        raise ValidationError(
            {field: f"On scene cannot be before the call ({_clock(call.call_at)})"}
        )
    if field == "on_scene_at" and call.off_floor_at and when > call.off_floor_at:
        raise ValidationError({field: "On scene cannot be after off the floor"})
    if field == "off_floor_at":
        if call.on_scene_at is None:
            raise ValidationError({field: "Record on scene first"})
        if when < call.on_scene_at:
            raise ValidationError(
                {field: f"Off the floor cannot be before on scene ({_clock(call.on_scene_at)})"}
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
    _require(by, Permission.SIGN_OFF_FALLS, "Your role may not sign off a fall: a clinician does")
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
        _onward_referral(call, Need.FALL, f"Fall call {call.pk}: {call.triage_reason}", by)
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


@transaction.atomic
def record_demand_hours(*, by: Actor, first: dt.date, last: dt.date) -> int:
    """Count the 2-hour referrals that arrived in each clock hour from ``first`` to ``last``
    (local days), by the person's neighbourhood, replacing what was counted for those days.

    Run nightly for the day before (``wraparound capacity count-demand``): the board's
    demand profile reads these counts, not the referrals.
    """
    require_actor(by)
    if not isinstance(by, System) and not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Demand is counted by the system or an administrator")
    if last < first:
        raise ValidationError({"last": "The period must end on or after its first day"})
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(0), tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz)
    arrivals = Referral.objects.filter(
        urgency=Urgency.TWO_HOUR, received_at__gte=start, received_at__lt=end
    ).values_list("received_at", "patient__neighbourhood_id")
    counts: Counter[tuple[dt.datetime, int | None]] = Counter(
        (when.replace(minute=0, second=0, microsecond=0), place) for when, place in arrivals
    )
    kind = ServiceType.URGENT_COMMUNITY_RESPONSE
    DemandHour.objects.filter(
        service_type=kind, hour_starting__gte=start, hour_starting__lt=end
    ).delete()
    DemandHour.objects.bulk_create(
        DemandHour(service_type=kind, neighbourhood_id=n, hour_starting=h, arrivals=c)
        for (h, n), c in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.DEMAND_COUNTED,
        detail={"first": first.isoformat(), "last": last.isoformat(), "hours": len(counts)},
    )
    return len(counts)


@transaction.atomic
def record_crews_on_shift(*, by: Actor, now: dt.datetime | None = None) -> list[int]:
    """Write each urgent-response service's capacity from the crews on shift this hour.

    Run every hour (``wraparound capacity refresh``); a service not refreshed within its
    stale limit reads as capacity unknown in the directory.
    """
    require_actor(by)
    when = now or timezone.now()
    updated = []
    for service, crews in dispatch.crews_on_shift_now(when):
        record_live_capacity(
            service_id=service.pk,
            capacity="green" if crews >= 2 else "amber" if crews == 1 else "red",
            free_slots=crews,
            source="crews on shift",
            by=by,
            when=when,
        )
        updated.append(service.pk)
    return updated
