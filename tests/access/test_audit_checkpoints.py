"""Signed checkpoints outside the database catch a history rewritten by whoever controls it:
every hash after an edit recomputed, the head moved, the chain itself consistent again."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import staff
from wraparound.access import audit
from wraparound.access.checkpoints import checkpoint_problems, read_checkpoints, write_checkpoint
from wraparound.access.models import AuditChainHead, AuditEvent


@pytest.fixture
def checkpoints(tmp_path, monkeypatch):
    path = tmp_path / "checkpoints"
    monkeypatch.setenv("WRAPAROUND_AUDIT_CHECKPOINTS", str(path))
    return path


def _events(place, n=6):
    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    for _ in range(n):
        audit.record(user=writer, action="view", purpose="find a person")
    audit.seal()  # as the commit this test never makes would have


def _rewrite_history_from(sequence: int) -> None:
    """What a database superuser could do: edit an event, re-hash everything after it."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET purpose = 'nothing to see' WHERE sequence = %s", [sequence]
        )
    previous = (
        AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else audit.GENESIS_HASH
    )
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.previous_hash = previous
        event.hash = audit.event_hash(event)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET previous_hash = %s, hash = %s WHERE sequence = %s",
                [event.previous_hash, event.hash, event.sequence],
            )
        previous = event.hash
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s WHERE id = 1", [previous]
        )


def test_a_rewritten_history_passes_the_chain_but_not_its_checkpoint(place, checkpoints):
    _events(place)
    written = write_checkpoint()
    assert written is not None and written.sequence == 6
    assert read_checkpoints() == [written] and checkpoint_problems() == []
    call_command("audit", "verify")

    _rewrite_history_from(3)
    assert audit.verify().ok  # the chain alone cannot tell
    [problem] = checkpoint_problems()
    assert "event #6" in problem and "rewritten" in problem
    with pytest.raises(CommandError, match="disagrees with its checkpoints"):
        call_command("audit", "verify")


def test_a_forged_or_backdated_checkpoint_is_named(place, checkpoints):
    _events(place)
    call_command("audit", "checkpoint")
    line = json.loads(checkpoints.read_text())
    forged = {**line, "hash": "f" * 64}
    with checkpoints.open("a") as out:
        out.write(json.dumps(forged) + "\n")
    assert checkpoint_problems() == ["checkpoint 2 (event #6) is not signed by our key"]


def test_an_empty_chain_has_nothing_to_checkpoint(db, checkpoints):
    assert write_checkpoint() is None and not checkpoints.exists()
