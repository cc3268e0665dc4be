"""Every change of state in access: consent, break-glass and its review. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import (
    AuditAction,
    BreakGlass,
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
)
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission

from .person import person_model
from .policy import NoAccess, access_patient, has_permission

BREAK_GLASS_DURATION = dt.timedelta(hours=4)
MINIMUM_BREAK_GLASS_REASON = 20


@transaction.atomic
def record_consent(
    *,
    patient_id: int,
    scope: str,
    method: str,
    by: Actor,
    note: str = "",
    when: dt.datetime | None = None,
) -> ConsentDecision:
    """Record the person's consent decision; the earlier one is kept as history."""
    if scope not in ConsentScope.values:
        raise ValidationError({"scope": f"'{scope}' is not a consent choice"})
    if method not in ConsentMethod.values:
        raise ValidationError({"method": f"'{method}' is not a way of recording consent"})
    if not has_permission(by, Permission.RECORD_CONSENT):
        raise NoAccess("Your role cannot record consent")
    patient, decision = access_patient(
        by, patient_id, Purpose.RECORD_CONSENT, action=AuditAction.CONSENT
    )
    previous = ConsentDecision.objects.filter(patient=patient, is_current=True).first()
    ConsentDecision.objects.filter(patient=patient, is_current=True).update(is_current=False)
    consent = ConsentDecision.objects.create(
        patient=patient,
        scope=scope,
        method=method,
        recorded_at=when or timezone.now(),
        recorded_by=by,
        note=note,
        is_current=True,
    )
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.CONSENT_CHANGED,
        patient_id=patient.pk,
        basis=decision.basis,
        detail={
            "changes": audit.changes(
                {"scope": previous.scope if previous else None}, {"scope": scope}
            ),
            "method": method,
        },
    )
    return consent


@transaction.atomic
def break_glass(*, patient_id: int, reason: str, by: Actor) -> BreakGlass:
    """Open emergency access to one person for a limited time, flagged for review."""
    reason = (reason or "").strip()
    if len(reason) < MINIMUM_BREAK_GLASS_REASON:
        raise ValidationError(
            {
                "reason": f"Give the emergency reason in at least {MINIMUM_BREAK_GLASS_REASON} characters"
            }
        )
    if not has_permission(by, Permission.BREAK_GLASS):
        raise NoAccess("Your role cannot break the glass")
    patient = person_model().objects.filter(pk=patient_id).first()
    if patient is None:
        raise ValidationError({"patient": "No such person"})
    now = timezone.now()
    use = BreakGlass.objects.create(
        user=by,
        patient=patient,
        reason=reason,
        started_at=now,
        expires_at=now + BREAK_GLASS_DURATION,
    )
    audit.record(
        user=by,
        action=AuditAction.BREAK_GLASS,
        purpose=Purpose.EMERGENCY_ACCESS,
        patient_id=patient.pk,
        basis="break glass",
        detail={
            "reason": reason,
            "expires_at": use.expires_at.isoformat(),
            "break_glass_id": use.pk,
        },
    )
    return use


@transaction.atomic
def review_break_glass(*, use_id: int, outcome: str, by: Actor) -> BreakGlass:
    """The privacy officer's review of one break-glass use."""
    if not has_permission(by, Permission.REVIEW_AUDIT):
        raise NoAccess("Only a privacy officer reviews break-glass use")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": "Say what the review found"})
    use = BreakGlass.objects.select_for_update().filter(pk=use_id).first()
    if use is None:
        raise ValidationError({"use_id": "No such break-glass use"})
    if use.reviewed_at is not None:
        return use  # a repeated submission changes nothing
    use.reviewed_at = timezone.now()
    use.reviewed_by = by
    use.review_outcome = outcome
    use.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome"])
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.BREAK_GLASS_REVIEW,
        patient_id=use.patient_id,
        basis="privacy officer review",
        detail={"break_glass_id": use.pk, "outcome": outcome},
    )
    return use
