"""The state machine: every allowed move, every refused one, and someone always holds it."""

from __future__ import annotations

import itertools

import pytest

from wraparound.referrals.lifecycle import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    InvalidTransition,
    Status,
    check_transition,
    is_allowed,
)

S = Status
ALLOWED = {
    (S.RECEIVED, S.TRIAGED),
    (S.TRIAGED, S.OFFERED),
    (S.TRIAGED, S.RETURNED),
    (S.OFFERED, S.ACCEPTED),
    (S.OFFERED, S.DECLINED),
    (S.DECLINED, S.OFFERED),
    (S.DECLINED, S.RETURNED),
    (S.ACCEPTED, S.COMPLETED),
}
ALL_PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize("current, to", sorted(ALLOWED))
def test_allowed_transition(current, to):
    check_transition(current, to)
    assert is_allowed(current, to)


@pytest.mark.parametrize("current, to", [p for p in ALL_PAIRS if p not in ALLOWED])
def test_disallowed_transition(current, to):
    with pytest.raises(InvalidTransition) as exc:
        check_transition(current, to)
    assert "status" in exc.value.message_dict
    assert not is_allowed(current, to)


def test_the_table_in_code_is_the_one_tested():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert set(TRANSITIONS) == set(Status)


def test_an_unknown_status_is_refused():
    with pytest.raises(InvalidTransition):
        check_transition("lost", S.TRIAGED)


def test_only_returned_and_completed_are_final_and_every_open_status_can_move_on():
    assert {s for s, targets in TRANSITIONS.items() if not targets} == CLOSED_STATUSES
    assert set(Status) == OPEN_STATUSES | CLOSED_STATUSES
    for status in OPEN_STATUSES:
        assert TRANSITIONS[status]


def test_a_declined_referral_can_only_go_to_another_team_or_back_to_the_referrer():
    assert TRANSITIONS[S.DECLINED] == {S.OFFERED, S.RETURNED}
