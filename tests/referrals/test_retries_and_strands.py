"""Intake never strands a referral: a retry that overlaps its original gets the same
referral back, and a referral a crash left stored but untriaged is triaged by the sweeper."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.factories import PatientFactory
from wraparound.access.actors import System
from wraparound.access.models import AuditEvent
from wraparound.referrals import actions
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.models import Referral


def _fields(people, person, key="retry-1"):
    return {
        "patient": person,
        "source": "gp",
        "needs": ["fall"],
        "clinical_summary": "Found on the floor, no injury",
        "idempotency_key": key,
        "by": people.users["gp"],
    }


def test_a_retry_that_overlaps_its_original_gets_the_same_referral_back(
    people, person, monkeypatch
):
    """Issue 13: the client's retry arrived while the original was between storing and
    triaging; whichever triaged second was told "a triaged referral cannot become triaged",
    a 400 that tells a client to give up on a referral that was made."""
    receive = actions.receive_referral
    retried = []

    def receive_then_the_retry_overtakes(**fields):
        referral, created = receive(**fields)
        if created:  # the original, stored: its retry arrives and finishes first
            retried.append(actions.submit_referral(**fields))
        return referral, created

    monkeypatch.setattr(actions, "receive_referral", receive_then_the_retry_overtakes)
    original, created = actions.submit_referral(**_fields(people, person))
    ((retry, retry_created),) = retried
    assert created and not retry_created
    assert original.pk == retry.pk and original.status == retry.status == Status.TRIAGED
    assert Referral.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_with_one_key_all_get_the_one_referral(people):
    person = PatientFactory()
    results, errors = [], []

    def send():
        try:
            results.append(actions.submit_referral(**_fields(people, person, key="same-key")))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len({referral.pk for referral, _ in results}) == 1 and len(results) == 8
    assert sum(created for _, created in results) == 1
    assert Referral.objects.get().status == Status.TRIAGED


def test_a_referral_stored_then_crashed_before_triage_is_triaged_by_the_sweeper(people, person):
    referral, _ = actions.receive_referral(**_fields(people, person))  # then the worker died
    assert actions.triage_stranded(by=System("tests")) == []  # a live one is left to its request
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):
        call_command("sweep_referrals")
    swept = Referral.objects.get(pk=referral.pk)
    assert swept.status == Status.TRIAGED and swept.urgency == "2_hour"
    assert swept.due_at == referral.received_at + dt.timedelta(hours=2)  # the clock from receipt
    event = AuditEvent.objects.filter(purpose="referral triaged").get()
    assert event.username == "system: sweep-referrals"
    assert swept.events.filter(kind="triaged").get().detail["by"] == "system: sweep-referrals"


def test_only_the_coordination_centre_or_the_system_sweeps(people):
    from wraparound.access.permissions import NoAccess

    with pytest.raises(NoAccess):
        actions.triage_stranded(by=people.users["nurse"])
    assert actions.triage_stranded(by=people.users["coordinator"]) == []


def test_a_triage_that_fails_keeps_the_receipt_and_tells_the_caller(people, person, monkeypatch):
    def rules_broken(referral, by):
        actions._event(referral, "triaged", from_status=referral.status, by=by)  # half done

        raise RuntimeError("the triage rules failed")

    monkeypatch.setattr(actions, "_triage", rules_broken)
    with pytest.raises(RuntimeError, match="triage rules"):
        actions.submit_referral(**_fields(people, person, key="broken-triage"))
    kept = Referral.objects.get(idempotency_key="broken-triage")
    assert kept.status == Status.RECEIVED and kept.urgency == ""  # the half done undone
    assert list(kept.events.values_list("kind", flat=True)) == ["received"]
    assert AuditEvent.objects.filter(purpose="referral received").count() == 1

    monkeypatch.undo()
    again, created = actions.submit_referral(**_fields(people, person, key="broken-triage"))
    assert (again.pk, created, again.status) == (kept.pk, False, Status.TRIAGED)
