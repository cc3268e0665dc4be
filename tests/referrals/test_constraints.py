"""The database itself refuses a referral whose fields do not fit its status."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.factories import referral
from wraparound.referrals.models import Referral, ReferralEvent, Status


def _refused(**changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=changes.pop("pk")).update(**changes)


@pytest.fixture
def sent(people, person):
    return referral(person, sender=people.users["gp"], status=Status.TRIAGED)


def test_the_database_refuses_a_status_that_is_not_a_state(sent):
    _refused(pk=sent.pk, status="lost")


def test_the_database_refuses_a_declined_referral_without_a_reason(people, sent):
    _refused(pk=sent.pk, status=Status.DECLINED, offered_team=people.ucr, decline_reason="")


def test_the_database_refuses_an_accepted_referral_without_the_accepting_team(sent):
    _refused(pk=sent.pk, status=Status.ACCEPTED, accepted_at=sent.received_at)


def test_the_database_refuses_an_accepted_referral_without_the_time_accepted(people, sent):
    _refused(pk=sent.pk, status=Status.ACCEPTED, offered_team=people.ucr)


def test_the_database_refuses_an_offer_to_nobody(sent):
    _refused(pk=sent.pk, status=Status.OFFERED)


def test_the_database_refuses_a_returned_referral_without_a_named_destination(sent):
    _refused(
        pk=sent.pk,
        status=Status.RETURNED,
        decline_reason="Out of area",
        closed_at=sent.received_at,
        return_destination="",
    )


def test_the_database_refuses_a_closed_referral_without_the_time_closed(people, sent):
    _refused(
        pk=sent.pk,
        status=Status.RETURNED,
        decline_reason="Out of area",
        return_destination="GP",
    )


def test_the_database_refuses_a_triaged_referral_without_urgency_or_target(sent):
    _refused(pk=sent.pk, urgency="")
    _refused(pk=sent.pk, due_at=None)
    _refused(pk=sent.pk, urgency="whenever")


def test_the_database_refuses_a_second_referral_with_the_same_idempotency_key(people, person, sent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            patient=person,
            referrer=people.users["gp"],
            referring_organisation=people.practice,
            source="gp",
            received_at=sent.received_at,
            needs=["fall"],
            clinical_summary="again",
            idempotency_key=sent.idempotency_key,
        )


def test_the_database_refuses_an_unknown_source(sent):
    _refused(pk=sent.pk, source="pigeon")


def test_the_database_refuses_a_decline_event_without_a_reason(people, sent):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralEvent.objects.create(
            referral=sent,
            occurred_at=sent.received_at,
            kind="declined",
            from_status="offered",
            to_status="declined",
        )


def test_the_database_refuses_an_override_reason_on_an_untriaged_referral(people, person):
    received = referral(person, sender=people.users["gp"])
    _refused(pk=received.pk, override_reason="Looks urgent")
