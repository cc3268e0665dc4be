"""``audit verify`` is correct on a live system: it verifies up to the chain's head as it
stood when it began, so events written meanwhile never read as missing (issue 13: it walked
the events, then read the head, and reported a broken trail under intake 5 times in 5)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import staff
from wraparound.access import audit
from wraparound.access.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_audit_verify_passes_while_writers_are_writing(place):
    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    for _ in range(50):
        audit.record(user=writer, action="view", purpose="find a person")
    stop = threading.Event()
    written = []

    def keep_writing():
        try:
            while not stop.is_set() and len(written) < 2000:
                written.append(audit.record(user=writer, action="view", purpose="find a person"))
        finally:
            connection.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        reports = [audit.verify() for _ in range(20)]
    finally:
        stop.set()
        thread.join(timeout=60)
    assert written, "the writer wrote nothing while verify ran"
    assert all(report.ok for report in reports), [r.problem for r in reports if not r.ok]
    assert reports[-1].events_checked >= 50
    assert audit.verify().events_checked == AuditEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_audit_verify_still_names_an_edited_or_reordered_event(place):
    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    for _ in range(6):
        audit.record(user=writer, action="view", purpose="find a person")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET purpose = 'nothing to see' WHERE sequence = 3")
    report = audit.verify()
    assert not report.ok and report.first_broken_sequence == 3 and "altered" in report.problem
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET purpose = 'find a person' WHERE sequence = 3")
        # Swap two events' places in the chain.
        cursor.execute(f"UPDATE {table} SET sequence = 1000 WHERE sequence = 4")
        cursor.execute(f"UPDATE {table} SET sequence = 4 WHERE sequence = 5")
        cursor.execute(f"UPDATE {table} SET sequence = 5 WHERE sequence = 1000")
    report = audit.verify()
    assert not report.ok and report.first_broken_sequence == 4


@pytest.mark.django_db(transaction=True)
def test_writing_an_event_never_touches_the_chains_head_before_commit(place):
    """Writers no longer queue on the chain's head row (issue 13: every referral held its
    lock until commit). Inside the writer's transaction the head is not read or locked; only
    the seal after commit takes it, for one short transaction of its own."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from wraparound.access.models import AuditChainHead

    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    head_table = AuditChainHead._meta.db_table
    with CaptureQueriesContext(connection) as inside, transaction.atomic():
        for _ in range(3):
            audit.record(user=writer, action="view", purpose="find a person")
        assert not AuditEvent.objects.filter(sequence__isnull=False).exists()
    during = [q["sql"] for q in inside.captured_queries if "COMMIT" not in q["sql"].upper()]
    before_commit = during[: next(i for i, q in enumerate(during) if head_table in q)]
    assert len([q for q in before_commit if "INSERT" in q.upper()]) == 3
    assert all(head_table not in q for q in before_commit)
    report = audit.verify()
    assert report.ok and report.events_checked == 3 and report.unsealed == 0


@pytest.mark.django_db(transaction=True)
def test_each_commit_seals_its_events_into_the_chain_in_order(place):
    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    for n in range(4):
        audit.record(user=writer, action="view", purpose="find a person", detail={"look": n})
    sealed = list(AuditEvent.objects.order_by("id").values_list("sequence", "detail"))
    assert sealed == [(n + 1, {"look": n}) for n in range(4)]
    assert audit.verify().events_checked == 4


@pytest.mark.django_db
def test_an_event_altered_before_it_is_sealed_is_named(place):
    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    event = audit.record(user=writer, action="view", purpose="find a person")
    # Inside this test's transaction nothing has committed, so nothing is sealed yet.
    assert audit.verify().unsealed == 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET purpose = 'x' WHERE id = %s", [event.pk]
        )
    report = audit.verify()
    assert not report.ok and "not yet sealed" in report.problem and "altered" in report.problem


@pytest.mark.django_db(transaction=True)
def test_commits_close_together_share_one_seal_that_still_comes_soon(place, monkeypatch):
    """A process seals at most once per interval: a commit just after a seal leaves its events
    to a seal that runs when the interval is up, so one seal carries many requests' events."""
    import time

    monkeypatch.setattr(audit, "SEAL_INTERVAL", 0.5)
    monkeypatch.setattr(audit, "_last_seal", 0.0)
    writer = staff("busy_nurse", place.trust, "clinician", place.nursing)
    first = audit.record(user=writer, action="view", purpose="find a person")
    second = audit.record(user=writer, action="view", purpose="find a person")
    assert AuditEvent.objects.get(pk=first.pk).sequence == 1  # sealed on its commit
    assert AuditEvent.objects.get(pk=second.pk).sequence is None  # left for the next seal
    deadline = time.monotonic() + 10
    while AuditEvent.objects.get(pk=second.pk).sequence is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert AuditEvent.objects.get(pk=second.pk).sequence == 2
    assert audit.verify().ok
