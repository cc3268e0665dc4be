"""Writing, sealing and verifying the audit trail.

Writers never wait for each other. ``record`` inserts an event with a hash of its own
contents, inside the caller's transaction, and takes no lock. After that transaction
commits, ``seal`` gives every committed event not yet in the chain the next ``sequence``
and a chain hash over that sequence, the previous event's chain hash and its content hash.
The seal takes the chain head's row lock for as long as one seal takes (a few updates), not
for a whole request, and a writer that finds another sealing leaves its events to it or
the next. (Certificate Transparency's log works the same way: entries are accepted at once
and merged into the tree within a stated delay; see docs/adr/0008.)

So an edited event breaks its content hash, sealed or not; a deleted or reordered sealed
event breaks the sequence or a link. An event deleted in the moment between its commit
and its seal would go unseen: that moment is at most ``SEAL_INTERVAL`` (0.2 s), or, if the
process dies before its timer fires, the interval of ``wraparound audit checkpoint --every N``.

Events from before sealing existed (empty ``content_hash``) keep the hash they were
written with: contents, sequence and previous hash in one (``_legacy_hash``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .actors import System
from .models import AuditChainHead, AuditEvent
from .purposes import CHANGES, Purpose
from .request_context import current_request_id

GENESIS_HASH = "0" * 64
SEAL_BATCH = 500

log = logging.getLogger(__name__)


def _contents(event: AuditEvent) -> dict[str, Any]:
    return {
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
    }


def _digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(event: AuditEvent) -> str:
    """The hash of what the event says (who, what, why, about whom), not of its place."""
    return _digest(_contents(event))


def _legacy_hash(event: AuditEvent) -> str:
    return _digest(
        {**_contents(event), "sequence": event.sequence, "previous_hash": event.previous_hash}
    )


def event_hash(event: AuditEvent) -> str:
    """The chain hash a sealed event should have, from its sequence, link and contents."""
    if not event.content_hash:
        return _legacy_hash(event)
    return _digest(
        {
            "sequence": event.sequence,
            "previous_hash": event.previous_hash,
            "content_hash": content_hash(event),
        }
    )


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


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What changed, field by field: ``{field: {"from": old, "to": new}}`` for each that did."""
    return {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _checked_purpose(purpose: str, detail: Mapping[str, Any]) -> Purpose:
    try:
        known = Purpose(purpose)
    except ValueError:
        raise ValueError(
            f"audit purpose {purpose!r} is not in access/purposes.py: add it there"
        ) from None
    if known in CHANGES:
        changed = detail.get("changes")
        if not isinstance(changed, dict) or not all(
            isinstance(v, dict) and set(v) == {"from", "to"} for v in changed.values()
        ):
            raise ValueError(
                f"an audit event for {known.value!r} records what changed: "
                'detail["changes"] must be audit.changes(before, after)'
            )
    return known


def record(
    *,
    user: Any,
    action: str,
    purpose: Purpose,
    patient_id: int | None = None,
    basis: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event inside the caller's transaction (if any); it is sealed once that commits.

    ``purpose`` is one of ``Purpose``; one of the ``CHANGES`` kind must carry
    ``detail["changes"]`` (``changes(before, after)``). No lock is taken: the event commits or
    rolls back with what it records, and waits for no other writer.
    """
    purpose = _checked_purpose(purpose, detail or {})
    event = AuditEvent(
        # Whole microseconds survive a round trip through every database backend.
        occurred_at=timezone.now(),
        patient_id_at_event=patient_id,
        action=action,
        purpose=purpose.value,
        basis=basis[:200],
        request_id=current_request_id.get(),
        detail=detail or {},
        **actor_fields(user),
    )
    event.content_hash = content_hash(event)
    # Part of the caller's transaction, not a savepoint in it: an event that fails to write
    # fails what it records (and a savepoint was two more round trips per event).
    with transaction.atomic(savepoint=False):
        event.save()
        _seal_after_commit()
    return event


def _seal_after_commit() -> None:
    # Once per transaction, however many events it writes.
    if not any(callback is _seal_quietly for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(_seal_quietly)


# A process seals after a commit at most once in this many seconds; a commit sooner than that
# leaves its events to a seal that runs when the interval is up. Under load one seal then
# carries the events of many requests: sealing after every commit was 40 % of an intake
# request's time, three seals each. The events wait at most this long to be chained.
SEAL_INTERVAL = float(os.environ.get("WRAPAROUND_AUDIT_SEAL_INTERVAL", "0.2"))

_sealing = threading.Lock()
_last_seal = 0.0
_seal_due = False


def _seal_quietly() -> None:
    """Seal after a commit, or soon after, without ever failing the request that committed."""
    global _last_seal, _seal_due
    with _sealing:
        wait = _last_seal + SEAL_INTERVAL - time.monotonic()
        if wait > 0:
            if not _seal_due:
                _seal_due = True
                timer = threading.Timer(wait, _seal_when_due)
                timer.daemon = True
                timer.start()
            return
        _last_seal = time.monotonic()
    _seal_now()


def _seal_when_due() -> None:
    global _last_seal, _seal_due
    with _sealing:
        _seal_due = False
        _last_seal = time.monotonic()
    try:
        _seal_now()
    finally:
        connection.close()  # this timer thread's own connection


def _seal_now() -> None:
    try:
        seal(wait=False)
    except DatabaseError:  # e.g. SQLite busy: the next seal takes these events too
        log.warning("audit events left for the next seal", exc_info=True)


def seal(*, wait: bool = True) -> int:
    """Chain every committed, unsealed event, oldest first; returns how many were sealed.

    With ``wait=False`` a seal already in progress elsewhere is left to finish the work.
    """
    sealed = 0
    AuditChainHead.objects.get_or_create(pk=1)  # one SELECT once the head exists
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
        if head is None:
            return 0
        sequence, previous = head.last_sequence, head.last_hash
        while batch := list(
            AuditEvent.objects.filter(sequence__isnull=True).order_by("id")[:SEAL_BATCH]
        ):
            for event in batch:
                sequence += 1
                event.sequence, event.previous_hash = sequence, previous
                event.hash = event_hash(event)
                previous = event.hash
            # Past the append-only guard on purpose: one UPDATE for the batch, made while the
            # head is locked, so no other seal can chain these rows.
            AuditEvent._base_manager.bulk_update(batch, ["sequence", "previous_hash", "hash"])
            sealed += len(batch)
        if sealed:
            AuditChainHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=previous)
    return sealed


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events_checked: int
    first_broken_sequence: int | None = None
    problem: str = ""
    # Committed but not yet chained: checked for alteration, placed in the chain next seal.
    unsealed: int = 0


def verify() -> ChainReport:
    """Check the chain up to a consistent point and name the first event that does not fit.

    The point is the chain's head as it stands when verifying starts: every event up to it
    was committed with it, so the walk is correct while writers keep writing; events added
    since are checked next time. The report says how far it verified (``events_checked``).
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if AuditEvent.objects.filter(sequence__isnull=False).exists():
            return ChainReport(False, 0, 1, "events exist but the chain has no head")
        return _check_unsealed(ChainReport(True, 0))
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
    return _check_unsealed(ChainReport(True, checked))


def _check_unsealed(report: ChainReport) -> ChainReport:
    """Events not yet sealed must still say what they said when written."""
    unsealed = 0
    for event in AuditEvent.objects.filter(sequence__isnull=True).iterator(chunk_size=2000):
        if content_hash(event) != event.content_hash:
            return ChainReport(
                False,
                report.events_checked,
                None,
                f"an event not yet sealed (id {event.pk}, written "
                f"{event.occurred_at:%Y-%m-%d %H:%M:%S}) has been altered: "
                "its contents do not match its hash",
            )
        unsealed += 1
    return ChainReport(True, report.events_checked, unsealed=unsealed)
