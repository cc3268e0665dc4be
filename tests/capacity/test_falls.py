"""The falls response: triage, who is sent, the clocks, and the clinician's sign-off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wraparound.access.permissions import NoAccess
from wraparound.capacity import actions
from wraparound.capacity.falls import triage_fall
from wraparound.capacity.models import FallCall, Responder
from wraparound.door.policy import decide
from wraparound.referrals.models import Referral

from .conftest import ALL_CONFIRMED, UNINJURED


def _call(capacity, answers=None, key="111-0001", **fields):
    person = capacity.patient
    return actions.take_fall_call(
        nhs_number=fields.pop("nhs_number", person.nhs_number),
        date_of_birth=person.date_of_birth,
        answers=UNINJURED if answers is None else answers,
        idempotency_key=key,
        by=capacity.users["coordinator"],
        **fields,
    )


def _on_scene_and_up(call, by, minutes=(20, 35)):
    actions.record_fall_clock(
        call_id=call.pk, clock="on_scene", at=call.call_at + dt.timedelta(minutes=minutes[0]), by=by
    )
    return actions.record_fall_clock(
        call_id=call.pk,
        clock="off_floor",
        at=call.call_at + dt.timedelta(minutes=minutes[1]),
        by=by,
    )


def _called_an_hour_ago(capacity, **fields):
    return _call(capacity, call_at=timezone.now() - dt.timedelta(minutes=60), **fields)


def test_an_uninjured_faller_is_level_one_and_an_injured_one_level_two():
    assert triage_fall(UNINJURED).level == 1
    assert triage_fall({"minor_injury": True}).level == 2
    assert triage_fall({"needs_assessment": True}).level == 2


def test_a_red_flag_is_refused_as_a_999_call_naming_the_answers(capacity):
    with pytest.raises(ValidationError) as refused:
        _call(capacity, answers={"head_injury": True})
    assert "Call 999" in refused.value.message_dict["answers"][0]
    assert not FallCall.objects.exists()


def test_an_unknown_question_is_named(capacity):
    with pytest.raises(ValidationError) as refused:
        _call(capacity, answers={"feels_fine": True})
    assert "feels_fine" in refused.value.message_dict["answers"][0]


def test_a_call_about_a_person_not_known_names_the_nhs_number(capacity):
    with pytest.raises(ValidationError) as refused:
        _call(capacity, nhs_number="9434765919")
    assert "nhs_number" in refused.value.message_dict


def test_a_level_one_call_sends_the_nearest_free_volunteer(capacity):
    call, created = _call(capacity)
    assert created and call.level == 1 and call.responder == capacity.responder
    assert not Responder.objects.get(pk=capacity.responder.pk).available
    # The next call gets the other volunteer: one person is never sent twice.
    second, _ = _call(capacity, key="111-0002")
    assert second.responder.staff.user == capacity.users["far_responder"]


def test_with_no_volunteer_free_a_crew_on_shift_is_sent(capacity, place):
    Responder.objects.update(available=False)
    call, _ = _call(capacity)
    assert call.responder is None and call.crew == place.users["ucr_nurse"].staff_member
    assert "No volunteer responder free" in call.dispatch_note


def test_a_level_two_call_sends_a_crew(capacity, place):
    call, _ = _call(capacity, answers={"minor_injury": True})
    assert (call.level, call.crew) == (2, place.users["ucr_nurse"].staff_member)


def test_the_same_call_again_changes_nothing(capacity):
    first, _ = _call(capacity)
    again, created = _call(capacity)
    assert (again.pk, created) == (first.pk, False) and FallCall.objects.count() == 1


def test_a_sign_off_by_a_role_that_may_not_give_one_is_refused(capacity, place):
    call, _ = _called_an_hour_ago(capacity)
    _on_scene_and_up(call, capacity.users["responder"])
    for who in (capacity.users["responder"], place.users["befriender"], place.users["gp"]):
        with pytest.raises(NoAccess, match="may not sign off"):
            actions.sign_off_fall(
                call_id=call.pk, checklist=ALL_CONFIRMED, decision="leave_at_home", by=who
            )
    assert FallCall.objects.get().signed_off_by is None


def test_a_level_one_faller_cannot_be_left_at_home_without_a_sign_off(capacity):
    call, _ = _called_an_hour_ago(capacity)
    _on_scene_and_up(call, capacity.users["responder"])
    # Not by closing the call without one: the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        FallCall.objects.filter(pk=call.pk).update(closed_at=timezone.now())
    # Nor by a sign-off with the checklist short of an item.
    short = {**ALL_CONFIRMED, "safe_at_home": False}
    with pytest.raises(ValidationError) as refused:
        actions.sign_off_fall(
            call_id=call.pk,
            checklist=short,
            decision="leave_at_home",
            by=capacity.users["coordinator"],
        )
    assert "Safe to stay at home" in refused.value.message_dict["checklist"][0]
    assert FallCall.objects.get().closed_at is None


def test_a_faller_still_on_the_floor_cannot_be_left_at_home(capacity):
    call, _ = _called_an_hour_ago(capacity)
    actions.record_fall_clock(
        call_id=call.pk, clock="on_scene", at=timezone.now(), by=capacity.users["responder"]
    )
    with pytest.raises(ValidationError, match="off the floor"):
        actions.sign_off_fall(
            call_id=call.pk,
            checklist=ALL_CONFIRMED,
            decision="leave_at_home",
            by=capacity.users["coordinator"],
        )


def test_the_sign_off_refers_to_falls_prevention_through_the_front_door(capacity):
    call, _ = _called_an_hour_ago(capacity)
    _on_scene_and_up(call, capacity.users["responder"])
    done = actions.sign_off_fall(
        call_id=call.pk,
        checklist=ALL_CONFIRMED,
        decision="leave_at_home",
        refer_to_falls_prevention=True,
        by=capacity.users["coordinator"],
    )
    assert done.closed_at is not None and done.signed_off_by == capacity.users["coordinator"]
    referral = Referral.objects.get(pk=done.onward_referral_id)
    assert referral.needs == ["falls_prevention"] and referral.urgency == "routine"
    assert Responder.objects.get(pk=capacity.responder.pk).available  # free for the next call


@pytest.mark.parametrize(("minutes", "flagged"), [(59, False), (60, True), (61, True)])
def test_the_long_lie_flag_is_raised_at_exactly_sixty_minutes(capacity, minutes, flagged):
    call, _ = _called_an_hour_ago(capacity)
    up = _on_scene_and_up(call, capacity.users["responder"], minutes=(10, minutes))
    assert up.lie_minutes(timezone.now()) == minutes
    assert up.long_lie(timezone.now()) is flagged


def test_a_faller_still_down_after_an_hour_is_a_long_lie_now(capacity):
    call, _ = _called_an_hour_ago(capacity)
    assert call.off_floor_at is None and call.long_lie(timezone.now())


@pytest.mark.parametrize(
    ("clock", "offset", "field"),
    [("on_scene", -5, "on_scene_at"), ("off_floor", 5, "off_floor_at")],
)
def test_an_impossible_clock_is_refused_naming_the_field(capacity, clock, offset, field):
    call, _ = _called_an_hour_ago(capacity)
    responder = capacity.users["responder"]
    if clock == "off_floor":
        actions.record_fall_clock(
            call_id=call.pk,
            clock="on_scene",
            at=call.call_at + dt.timedelta(minutes=20),
            by=responder,
        )
        offset = 20 - offset  # five minutes before on scene
    with pytest.raises(ValidationError) as refused:
        actions.record_fall_clock(
            call_id=call.pk,
            clock=clock,
            at=call.call_at + dt.timedelta(minutes=offset),
            by=responder,
        )
    assert field in refused.value.message_dict
    assert getattr(FallCall.objects.get(), field) is None


def test_off_the_floor_before_anyone_is_on_scene_is_refused(capacity):
    call, _ = _called_an_hour_ago(capacity)
    with pytest.raises(ValidationError) as refused:
        actions.record_fall_clock(
            call_id=call.pk, clock="off_floor", at=timezone.now(), by=capacity.users["responder"]
        )
    assert "on scene first" in refused.value.message_dict["off_floor_at"][0]


def test_a_responder_not_sent_cannot_record_a_clock(capacity):
    call, _ = _called_an_hour_ago(capacity)
    with pytest.raises(NoAccess):
        actions.record_fall_clock(
            call_id=call.pk, clock="on_scene", at=timezone.now(), by=capacity.users["far_responder"]
        )


def test_the_responder_sees_the_faller_while_sent_and_not_a_day_after(capacity, time_machine):
    responder = capacity.users["responder"]
    assert not decide(responder, capacity.patient).allowed
    call, _ = _called_an_hour_ago(capacity)
    assert decide(responder, capacity.patient).basis.startswith("took, was sent to")
    assert not decide(capacity.users["far_responder"], capacity.patient).allowed
    _on_scene_and_up(call, responder)
    actions.sign_off_fall(
        call_id=call.pk,
        checklist=ALL_CONFIRMED,
        decision="leave_at_home",
        by=capacity.users["coordinator"],
    )
    time_machine.move_to(timezone.now() + dt.timedelta(days=1, minutes=1))
    assert not decide(responder, capacity.patient).allowed


def test_refer_sends_a_two_hour_referral_to_urgent_response_and_the_person_stays_home(capacity):
    call, _ = _called_an_hour_ago(capacity, answers={"needs_assessment": True})
    crew = call.crew.user
    _on_scene_and_up(call, crew)
    done = actions.sign_off_fall(
        call_id=call.pk,
        checklist={"red_flags_clear": True},
        decision="refer",
        note="Dizzy on standing: needs a clinician today",
        by=crew,
    )
    referral = Referral.objects.get(pk=done.urgent_referral_id)
    assert referral.needs == ["fall"] and referral.urgency == "2_hour"
    assert done.onward_referral_id is None and done.closed_at is not None
