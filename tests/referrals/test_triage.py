"""The triage rules, table-driven: each in-scope condition is 2-hour, reablement 2-day, the rest routine."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wraparound.referrals.triage import (
    ROUTINE_TARGET_DAYS,
    TWO_DAY_NEEDS,
    TWO_HOUR_NEEDS,
    URGENT_OUTSIDE_UCR_NEEDS,
    Need,
    Urgency,
    due_for,
    triage,
)

LONDON = ZoneInfo("Europe/London")
RECEIVED = dt.datetime(2026, 11, 22, 10, 15, tzinfo=LONDON)

UCR_SCOPE = [
    (Need.FALL, "fall with no apparent serious injury"),
    (Need.FRAILTY_DECOMPENSATION, "decompensation of frailty"),
    (Need.REDUCED_FUNCTION, "reduced function, deconditioning or mobility"),
    (Need.PALLIATIVE_CRISIS, "palliative or end-of-life crisis"),
    (Need.URGENT_EQUIPMENT, "urgent equipment"),
    (Need.CONFUSION_DELIRIUM, "confusion or delirium"),
    (Need.URGENT_CATHETER, "urgent catheter care"),
    (Need.URGENT_DIABETES, "urgent diabetes support"),
    (Need.CARER_BREAKDOWN, "unpaid carer breakdown"),
]

TABLE = [
    # needs, urgency, target after receipt, words the rule must contain
    *[([need], Urgency.TWO_HOUR, dt.timedelta(hours=2), words) for need, words in UCR_SCOPE],
    ([Need.REABLEMENT], Urgency.TWO_DAY, dt.timedelta(days=2), "2-day reablement"),
    ([Need.WOUND_CARE], Urgency.ROUTINE, dt.timedelta(days=3), "target 3 days"),
    ([Need.MEDICATION_SUPPORT], Urgency.ROUTINE, dt.timedelta(days=5), "target 5 days"),
    ([Need.LONG_TERM_CONDITION], Urgency.ROUTINE, dt.timedelta(days=14), "target 14 days"),
    ([Need.OTHER], Urgency.ROUTINE, dt.timedelta(days=14), "routine"),
    # Urgent presentations outside the UCR scope never wait as routine.
    ([Need.BREATHLESSNESS], Urgency.TWO_HOUR, dt.timedelta(hours=2), "outside the UCR"),
    ([Need.MENTAL_HEALTH_CRISIS], Urgency.TWO_HOUR, dt.timedelta(hours=2), "mental health"),
    ([Need.REMOTE_MONITORING], Urgency.ROUTINE, dt.timedelta(days=1), "target 1 day,"),
    ([Need.UNABLE_TO_MANAGE], Urgency.ROUTINE, dt.timedelta(days=3), "target 3 days"),
    ([Need.LONELINESS], Urgency.ROUTINE, dt.timedelta(days=14), "target 14 days"),
    ([Need.BREATHLESSNESS, Need.FALL], Urgency.TWO_HOUR, dt.timedelta(hours=2), "community"),
    # Combinations: the most urgent rule wins; routine takes the shortest target.
    ([Need.REABLEMENT, Need.FALL], Urgency.TWO_HOUR, dt.timedelta(hours=2), "fall"),
    ([Need.WOUND_CARE, Need.REABLEMENT], Urgency.TWO_DAY, dt.timedelta(days=2), "reablement"),
    (
        [Need.SOCIAL_SUPPORT, Need.WOUND_CARE],
        Urgency.ROUTINE,
        dt.timedelta(days=3),
        "target 3 days",
    ),
    (
        [Need.CARER_BREAKDOWN, Need.URGENT_CATHETER],
        Urgency.TWO_HOUR,
        dt.timedelta(hours=2),
        "unpaid carer breakdown; urgent catheter care",
    ),
]


@pytest.mark.parametrize("needs, urgency, target, words", TABLE)
def test_triage_rule_table(needs, urgency, target, words):
    result = triage(needs, RECEIVED)
    assert result.urgency == urgency
    assert result.due_at == RECEIVED + target
    assert words in result.rule


@pytest.mark.parametrize("need, _words", UCR_SCOPE)
def test_every_ucr_condition_in_scope_gets_a_2_hour_response(need, _words):
    result = triage([need], RECEIVED)
    assert result.urgency == Urgency.TWO_HOUR
    assert result.rule.startswith("2-hour urgent community response")


def test_the_2_hour_scope_is_exactly_the_nine_ucr_conditions():
    assert {need for need, _ in UCR_SCOPE} == TWO_HOUR_NEEDS


def test_every_need_belongs_to_exactly_one_rule():
    groups = [
        set(TWO_HOUR_NEEDS),
        set(URGENT_OUTSIDE_UCR_NEEDS),
        set(TWO_DAY_NEEDS),
        set(ROUTINE_TARGET_DAYS),
    ]
    for need in Need:
        assert sum(need in group for group in groups) == 1, need


def test_a_2_hour_target_is_counted_across_midnight_and_the_clock_change():
    late = dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # clocks go back at 02:00 BST
    result = triage([Need.FALL], late)
    assert result.due_at - late == dt.timedelta(hours=2)


def test_triage_refuses_unknown_or_missing_needs_and_naive_times():
    with pytest.raises(ValueError, match="not a presenting need: broken_leg"):
        triage(["broken_leg"], RECEIVED)
    with pytest.raises(ValueError, match="at least one"):
        triage([], RECEIVED)
    with pytest.raises(ValueError, match="timezone-aware"):
        triage([Need.FALL], dt.datetime(2026, 11, 22, 10, 0))


@given(st.sets(st.sampled_from(Need.values), min_size=1))
def test_any_crisis_need_makes_it_2_hour_and_the_target_is_never_before_receipt(needs):
    result = triage(needs, RECEIVED)
    assert result.due_at > RECEIVED
    urgent = TWO_HOUR_NEEDS | URGENT_OUTSIDE_UCR_NEEDS
    assert (result.urgency == Urgency.TWO_HOUR) == bool(needs & urgent)
    assert result.rule


def test_an_override_target_counts_from_the_decision():
    decided = RECEIVED + dt.timedelta(hours=5)
    assert due_for(Urgency.TWO_HOUR, [Need.WOUND_CARE], decided) == decided + dt.timedelta(hours=2)
    assert due_for(Urgency.ROUTINE, [Need.FALL], decided) == decided + dt.timedelta(days=14)
    with pytest.raises(ValueError):
        due_for("soon", [Need.FALL], decided)
