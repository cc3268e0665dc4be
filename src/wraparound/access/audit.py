"""Writing and verifying the audit trail.

Each event's hash covers its own fields and the previous event's hash, so an
edited event breaks its own hash and a deleted one breaks the link (and the
sequence) of the next. Appends are serialised by locking the chain head row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .actors import System
from .models import AuditChainHead, AuditEvent
from .request_context import current_request_id

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "user": event.user_id_at_event,
        "username": event.username,
        "organisation": event.organisation_code,
        "role": event.role,
        "patient": event.patient_id_at_event,
        "action": event.action,
        "purpose": event.purpose,
        "basis": event.basis,
        "request_id": event.request_id,
        "detail": event.detail,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def actor_fields(user: Any) -> dict[str, Any]:
    """Who did it, as recorded at the time (names survive later changes to the account)."""
    staff = (
        getattr(user, "staff_member", None) if getattr(user, "is_authenticated", False) else None
    )
    if isinstance(user, System):
        return {
            "user_id_at_event": None,
            "username": user.get_username(),
            "organisation_code": "",
            "role": "",
        }
    return {
        "user_id_at_event": user.pk if getattr(user, "is_authenticated", False) else None,
        "username": user.get_username()
        if getattr(user, "is_authenticated", False)
        else "anonymous",
        "organisation_code": staff.organisation.ods_code if staff else "",
        "role": staff.role
        if staff
        else ("superuser" if getattr(user, "is_superuser", False) else ""),
    }


@transaction.atomic
def record(
    *,
    user: Any,
    action: str,
    purpose: str,
    patient_id: int | None = None,
    basis: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        # Whole microseconds survive a round trip through every database backend.
        occurred_at=timezone.now(),
        patient_id_at_event=patient_id,
        action=action,
        purpose=purpose[:200],
        basis=basis[:200],
        request_id=current_request_id.get(),
        detail=detail or {},
        previous_hash=head.last_hash,
        **actor_fields(user),
    )
    event.hash = event_hash(event)
    event.save()
    AuditChainHead.objects.filter(pk=head.pk).update(
        last_sequence=event.sequence, last_hash=event.hash
    )
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events_checked: int
    first_broken_sequence: int | None = None
    problem: str = ""


def verify() -> ChainReport:
    """Check the chain up to a consistent point and name the first event that does not fit.

    The point is the chain's head as it stands when verifying starts: every event up to it
    was committed with it, so the walk is correct while writers keep writing; events added
    since are checked next time. The report says how far it verified (``events_checked``).
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if AuditEvent.objects.exists():
            return ChainReport(False, 0, 1, "events exist but the chain has no head")
        return ChainReport(True, 0)
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    events = AuditEvent.objects.filter(sequence__lte=head.last_sequence).order_by("sequence")
    for event in events.iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return ChainReport(
                False,
                checked,
                expected_sequence,
                f"event #{expected_sequence} is missing (next found is #{event.sequence})",
            )
        if event.previous_hash != expected_previous:
            return ChainReport(
                False,
                checked,
                event.sequence,
                f"event #{event.sequence} does not link to the event before it",
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                False,
                checked,
                event.sequence,
                f"event #{event.sequence} has been altered: its contents do not match its hash",
            )
        expected_previous = event.hash
        expected_sequence += 1
        checked += 1
    if checked != head.last_sequence:
        return ChainReport(
            False,
            checked,
            expected_sequence,
            f"events after #{expected_sequence - 1} are missing "
            f"(the chain recorded {head.last_sequence})",
        )
    if head.last_sequence and expected_previous != head.last_hash:
        return ChainReport(
            False,
            checked,
            head.last_sequence,
            f"event #{head.last_sequence} is not the event the chain's head recorded",
        )
    return ChainReport(True, checked)
