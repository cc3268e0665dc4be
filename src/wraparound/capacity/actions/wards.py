"""Admitting to and discharging from a ward: the census and the directory move with each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import CaseloadEntry
from wraparound.directory.actions import record_live_capacity
from wraparound.door.policy import access_patient
from wraparound.workforce.models import StaffMember

from ..live import ward_rag
from ..models import (
    Direction,
    Disposition,
    Pathway,
    Ward,
    WardStay,
    admitter_words,
)
from .checks import MAX_TEXT, clock_words, moment, require, text

MEDICATION_CHANGES = ("started", "stopped", "dose changed")


@transaction.atomic
def sync_directory(ward: Ward, *, by: Actor, when: dt.datetime) -> None:
    """The ward's directory entry says what its census says, as true at ``when``.

    Called by every action that moves the census (and by the demo builder, which fills a
    ward's history in bulk); ``by`` is whoever moved it.
    """
    free = ward.places - ward.census
    record_live_capacity(
        service_id=ward.service_id,
        capacity=ward_rag(free, ward.places),
        free_slots=free,
        source=f"{ward.get_kind_display()} census",
        by=by,
        when=when,
    )


def _staff(by: Actor) -> StaffMember:
    staff = staff_of(by)
    assert staff is not None  # has_permission needs a member of staff
    return staff


def _move_census(ward: Ward, step: int, when: dt.datetime) -> None:
    Ward.objects.filter(pk=ward.pk).update(census=F("census") + step, census_changed_at=when)
    ward.refresh_from_db(fields=["census", "census_changed_at"])


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
    require(
        by,
        Permission.ADMIT_TO_VIRTUAL_WARD,
        "Only an authorised senior clinician (a GP, consultant or consultant practitioner) "
        "admits to a virtual ward",
    )
    now = timezone.now()
    when = moment(admitted_at, "admitted_at", now)
    if direction not in Direction.values:
        raise ValidationError({"direction": f"'{direction}' is not step-up or step-down"})
    found = Pathway.objects.filter(code=pathway).first()
    if found is None:
        raise ValidationError({"pathway": f"'{pathway}' is not one of the ward's pathways"})
    why = text(reason, "reason", "the reason for admission")
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
        admitted_by_role=admitter_words(_staff(by)),
        out_of_hours_cover=(out_of_hours_cover or ward.out_of_hours_cover).strip()[:300],
        caseload_entry=entry,
    )
    _move_census(ward, +1, now)
    sync_directory(ward, by=by, when=now)
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
    require(
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
        raise ValidationError({"stay": f"Already discharged on {clock_words(stay.discharged_at)}"})
    if ward.census == 0:
        raise ValidationError({"ward": f"{ward} has no one on it to discharge"})
    when = moment(discharged_at, "discharged_at", now)
    if when < stay.admitted_at:
        raise ValidationError({"discharged_at": "cannot be before the admission"})
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": f"'{disposition}' is not a discharge destination"})
    summary = text(gp_summary, "gp_summary", "a summary for the GP", max_length=MAX_TEXT)
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
    sync_directory(ward, by=by, when=now)
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
    sync_directory(ward, by=by, when=now)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.WARD_PLACES_CHANGED,
        detail={"ward": ward.pk, "changes": audit.changes(before, {"places": places})},
    )
    return ward
