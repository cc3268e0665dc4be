"""Every change of a referral goes through an action: moved by the table, recorded, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories import on_caseload
from tests.referrals.conftest import send
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.caseload.models import CaseloadEntry
from wraparound.referrals import actions
from wraparound.referrals import triage as rules
from wraparound.referrals.lifecycle import InvalidTransition
from wraparound.referrals.models import EventKind, Referral, Status, Urgency


def _events(referral):
    return list(referral.events.values_list("kind", "from_status", "to_status"))


def _offered(people, person, team=None):
    referral = send(people, person)
    return actions.offer_to_team(
        referral_id=referral.pk, team_id=(team or people.ucr).pk, by=people.users["coordinator"]
    )


def _declined(people, person):
    referral = _offered(people, person)
    return actions.decline_referral(
        referral_id=referral.pk, reason="No capacity today", by=people.users["ucr_leader"]
    )


def test_a_referral_is_stored_as_received_then_triaged_with_the_rule_in_words(people, person):
    referral = send(people, person, needs=["fall"])
    assert referral.status == Status.TRIAGED
    assert referral.urgency == Urgency.TWO_HOUR
    assert referral.due_at == referral.received_at + rules.TWO_HOURS
    assert "fall with no apparent serious injury" in referral.triage_rule
    assert referral.referring_organisation == people.practice
    assert _events(referral) == [
        (EventKind.RECEIVED, "", Status.RECEIVED),
        (EventKind.TRIAGED, Status.RECEIVED, Status.TRIAGED),
    ]


def test_a_referral_is_kept_when_triage_fails_and_a_retry_triages_it(people, person, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("triage unavailable")

    monkeypatch.setattr(rules, "triage", broken)
    with pytest.raises(RuntimeError):
        send(people, person, key="kept-1")
    kept = Referral.objects.get(idempotency_key="kept-1")
    assert kept.status == Status.RECEIVED
    monkeypatch.undo()
    again = send(people, person, key="kept-1")
    assert again.pk == kept.pk and again.status == Status.TRIAGED
    assert Referral.objects.count() == 1


def test_a_clinician_override_is_recorded_with_the_reason(people, person):
    referral = send(people, person, needs=["wound_care"])
    assert referral.urgency == Urgency.ROUTINE
    referral = actions.override_urgency(
        referral_id=referral.pk,
        urgency=Urgency.TWO_HOUR,
        reason="Wound bleeding heavily on the phone",
        by=people.users["coordinator"],
    )
    assert referral.urgency == Urgency.TWO_HOUR
    assert referral.override_reason == "Wound bleeding heavily on the phone"
    assert (
        "overridden by" in referral.triage_rule
        and "the rules said: routine" in referral.triage_rule
    )
    event = referral.events.get(kind=EventKind.OVERRIDDEN)
    assert event.reason == "Wound bleeding heavily on the phone"
    assert event.by == people.users["coordinator"]
    assert event.detail == {"from_urgency": "routine", "to_urgency": "2_hour"}
    audit = AuditEvent.objects.filter(purpose="triage overridden").get()
    assert audit.patient_id_at_event == person.pk and audit.username == "coordinator"


def test_an_override_needs_a_reason_and_the_triage_permission(people, person):
    referral = send(people, person)
    with pytest.raises(ValidationError) as exc:
        actions.override_urgency(
            referral_id=referral.pk, urgency="routine", reason="  ", by=people.users["coordinator"]
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(NoAccess):
        actions.override_urgency(
            referral_id=referral.pk, urgency="routine", reason="I say so", by=people.users["gp"]
        )


# Each allowed transition, done by the action that owns it.


def test_triaged_to_offered_by_the_coordination_centre(people, person):
    referral = _offered(people, person)
    assert referral.status == Status.OFFERED and referral.offered_team == people.ucr
    assert referral.held_by() == str(people.ucr)
    assert referral.redirect_count == 0


def test_triaged_to_returned_names_the_destination(people, person):
    referral = send(people, person)
    referral = actions.return_to_referrer(
        referral_id=referral.pk,
        reason="Needs a GP visit, not community care",
        destination="Testford Surgery duty doctor",
        by=people.users["coordinator"],
    )
    assert referral.status == Status.RETURNED and referral.closed_at is not None
    assert referral.held_by() == "Testford Surgery duty doctor"


def test_offered_to_accepted_puts_the_person_on_the_teams_caseload(people, person):
    referral = _offered(people, person)
    referral, accepted_now = actions.accept_referral(
        referral_id=referral.pk, by=people.users["ucr_leader"]
    )
    assert accepted_now
    assert referral.status == Status.ACCEPTED and referral.accepted_at is not None
    entry = CaseloadEntry.objects.get(patient=person, team=people.ucr, discharged_on__isnull=True)
    assert f"Referral #{referral.pk}" in entry.reason
    assert referral.events.get(kind=EventKind.ACCEPTED).detail == {"caseload_entry_id": entry.pk}


def test_accepting_someone_already_on_the_caseload_keeps_one_entry(people, person):
    on_caseload(person, people.ucr)
    referral = _offered(people, person)
    actions.accept_referral(referral_id=referral.pk, by=people.users["ucr_leader"])
    assert CaseloadEntry.objects.filter(patient=person, team=people.ucr).count() == 1


def test_offered_to_declined_goes_back_to_the_coordination_centre_with_the_reason(people, person):
    referral = _declined(people, person)
    assert referral.status == Status.DECLINED
    assert referral.decline_reason == "No capacity today"
    assert referral.held_by() == "the coordination centre"


def test_declined_to_offered_is_a_counted_redirect(people, person):
    referral = _declined(people, person)
    referral = actions.offer_to_team(
        referral_id=referral.pk, team_id=people.nursing.pk, by=people.users["coordinator"]
    )
    assert referral.status == Status.OFFERED and referral.offered_team == people.nursing
    assert referral.redirect_count == 1
    assert referral.events.filter(kind=EventKind.REDIRECTED).count() == 1


def test_declined_to_returned_names_the_destination(people, person):
    referral = _declined(people, person)
    referral = actions.return_to_referrer(
        referral_id=referral.pk,
        reason="No community team can meet this need",
        destination="Testford Surgery",
        by=people.users["coordinator"],
    )
    assert referral.status == Status.RETURNED
    assert referral.return_destination == "Testford Surgery"


def test_accepted_to_completed_closes_it(people, person):
    referral = _offered(people, person)
    actions.accept_referral(referral_id=referral.pk, by=people.users["ucr_leader"])
    referral = actions.complete_referral(referral_id=referral.pk, by=people.users["ucr_leader"])
    assert referral.status == Status.COMPLETED and referral.closed_at is not None


def test_a_decline_can_redirect_in_the_same_step_and_every_redirect_is_counted(people, person):
    referral = _offered(people, person)
    referral = actions.decline_referral(
        referral_id=referral.pk,
        reason="Not urgent enough for UCR",
        redirect_to_team_id=people.nursing.pk,
        by=people.users["ucr_leader"],
    )
    referral = actions.decline_referral(
        referral_id=referral.pk,
        reason="Needs social care first",
        redirect_to_team_id=people.social_care.pk,
        by=people.users["nursing_leader"],
    )
    assert referral.status == Status.OFFERED and referral.offered_team == people.social_care
    assert referral.redirect_count == 2
    kinds = [k for k, _, _ in _events(referral)]
    assert kinds == [
        "received",
        "triaged",
        "offered",
        "declined",
        "redirected",
        "declined",
        "redirected",
    ]


def test_a_decline_can_return_in_the_same_step(people, person):
    referral = _offered(people, person)
    referral = actions.decline_referral(
        referral_id=referral.pk,
        reason="Out of area",
        return_to="Faraway GP practice",
        by=people.users["ucr_leader"],
    )
    assert (
        referral.status == Status.RETURNED and referral.return_destination == "Faraway GP practice"
    )


def test_a_decline_needs_a_reason(people, person):
    referral = _offered(people, person)
    with pytest.raises(ValidationError) as exc:
        actions.decline_referral(referral_id=referral.pk, reason="", by=people.users["ucr_leader"])
    assert "reason" in exc.value.message_dict


def test_a_redirect_to_the_team_that_just_declined_is_refused(people, person):
    referral = _declined(people, person)
    with pytest.raises(ValidationError) as exc:
        actions.offer_to_team(
            referral_id=referral.pk, team_id=people.ucr.pk, by=people.users["coordinator"]
        )
    assert "team" in exc.value.message_dict


def test_a_return_needs_a_named_destination(people, person):
    referral = send(people, person)
    with pytest.raises(ValidationError) as exc:
        actions.return_to_referrer(
            referral_id=referral.pk,
            reason="Out of area",
            destination=" ",
            by=people.users["coordinator"],
        )
    assert "destination" in exc.value.message_dict
    assert Referral.objects.get(pk=referral.pk).status == Status.TRIAGED


# Disallowed transitions, attempted through the actions.


def test_a_triaged_referral_cannot_be_accepted_before_it_is_offered(people, person):
    referral = send(people, person)
    with pytest.raises(InvalidTransition):
        actions.accept_referral(referral_id=referral.pk, by=people.users["ucr_leader"])


def test_a_referral_cannot_be_triaged_twice(people, person):
    referral = send(people, person)
    with pytest.raises(InvalidTransition):
        actions.triage_referral(referral_id=referral.pk, by=people.users["coordinator"])


def test_an_accepted_referral_cannot_be_offered_declined_or_returned(people, person):
    referral = _offered(people, person)
    actions.accept_referral(referral_id=referral.pk, by=people.users["ucr_leader"])
    coordinator, leader = people.users["coordinator"], people.users["ucr_leader"]
    with pytest.raises(InvalidTransition):
        actions.offer_to_team(referral_id=referral.pk, team_id=people.nursing.pk, by=coordinator)
    with pytest.raises(InvalidTransition):
        actions.decline_referral(referral_id=referral.pk, reason="Changed our mind", by=leader)
    with pytest.raises(InvalidTransition):
        actions.return_to_referrer(
            referral_id=referral.pk, reason="No", destination="GP", by=coordinator
        )


def test_a_returned_referral_is_final(people, person):
    referral = send(people, person)
    coordinator = people.users["coordinator"]
    actions.return_to_referrer(
        referral_id=referral.pk, reason="No", destination="GP", by=coordinator
    )
    with pytest.raises(InvalidTransition):
        actions.offer_to_team(referral_id=referral.pk, team_id=people.ucr.pk, by=coordinator)
    with pytest.raises(InvalidTransition):
        actions.complete_referral(referral_id=referral.pk, by=people.users["ucr_leader"])


def test_an_offered_referral_cannot_be_completed_or_returned_without_a_decline(people, person):
    referral = _offered(people, person)
    with pytest.raises(InvalidTransition):
        actions.complete_referral(referral_id=referral.pk, by=people.users["ucr_leader"])
    with pytest.raises(InvalidTransition):
        actions.return_to_referrer(
            referral_id=referral.pk, reason="No", destination="GP", by=people.users["coordinator"]
        )


# Who may do what.


def test_only_the_offered_teams_leader_may_accept_or_decline(people, person):
    referral = _offered(people, person)
    with pytest.raises(NoAccess):
        actions.accept_referral(referral_id=referral.pk, by=people.users["nursing_leader"])
    with pytest.raises(NoAccess):
        actions.decline_referral(
            referral_id=referral.pk, reason="Not ours", by=people.users["social_leader"]
        )
    with pytest.raises(NoAccess):
        actions.accept_referral(referral_id=referral.pk, by=people.users["coordinator"])
    assert Referral.objects.get(pk=referral.pk).status == Status.OFFERED


def test_only_the_coordination_centre_routes_referrals(people, person):
    referral = send(people, person)
    for who in ("gp", "nurse", "ucr_leader"):
        with pytest.raises(NoAccess):
            actions.offer_to_team(
                referral_id=referral.pk, team_id=people.ucr.pk, by=people.users[who]
            )


def test_a_role_that_cannot_refer_cannot_send_a_referral(people, person):
    with pytest.raises(NoAccess):
        send(people, person, by="analyst")
    assert not Referral.objects.exists()


# The audit trail.


def test_every_step_writes_an_audit_event_naming_the_person(people, person):
    referral = _offered(people, person)
    actions.accept_referral(referral_id=referral.pk, by=people.users["ucr_leader"])
    trail = list(
        AuditEvent.objects.filter(patient_id_at_event=person.pk).values_list(
            "action", "purpose", "username"
        )
    )
    assert trail == [
        ("create", "referral received", "gp"),
        ("update", "referral triaged", "gp"),
        ("update", "referral offered to a team", "coordinator"),
        ("update", "referral accepted", "ucr_leader"),
    ]
    assert all(
        e.detail["referral_id"] == referral.pk
        for e in AuditEvent.objects.filter(patient_id_at_event=person.pk)
    )
