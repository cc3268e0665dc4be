"""Demand by hour of the week from arrival times, and the crews each hour needs."""

from __future__ import annotations

import datetime as dt

import pytest

from wraparound.demand.erlang import ResponseStandard, within_standard
from wraparound.demand.profile import (
    calls_by_hour,
    calls_by_neighbourhood_and_hour,
    crews_by_hour,
    hour_of_week,
)

FRIDAY_5PM = dt.datetime(2026, 11, 27, 17, 10)  # a Friday


def test_an_hour_of_the_week_counts_from_monday_midnight():
    assert hour_of_week(dt.datetime(2026, 11, 23, 0, 30)) == 0  # Monday
    assert hour_of_week(FRIDAY_5PM) == 4 * 24 + 17
    assert hour_of_week(dt.datetime(2026, 11, 29, 23, 59)) == 167  # Sunday


def test_calls_by_hour_is_the_mean_a_week_over_the_period():
    four_fridays = [FRIDAY_5PM - dt.timedelta(weeks=w) for w in range(4)]
    rates = calls_by_hour(
        four_fridays * 2, first=dt.date(2026, 11, 2), last=dt.date(2026, 11, 29)
    )  # 28 days: 4 weeks, 8 calls at Friday 17:00
    assert rates[hour_of_week(FRIDAY_5PM)] == pytest.approx(2.0)
    assert sum(rates) == pytest.approx(2.0)


def test_calls_outside_the_period_are_not_counted_and_a_backwards_period_is_refused():
    assert (
        sum(calls_by_hour([FRIDAY_5PM], first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 7))) == 0
    )
    with pytest.raises(ValueError, match="last"):
        calls_by_hour([], first=dt.date(2026, 12, 7), last=dt.date(2026, 12, 1))


def test_demand_is_counted_for_each_neighbourhood():
    rates = calls_by_neighbourhood_and_hour(
        [("northfield", FRIDAY_5PM), ("hillside", FRIDAY_5PM), ("hillside", FRIDAY_5PM)],
        first=dt.date(2026, 11, 23),
        last=dt.date(2026, 11, 29),
    )
    assert rates["hillside"][hour_of_week(FRIDAY_5PM)] == 2.0
    assert rates["northfield"][hour_of_week(FRIDAY_5PM)] == 1.0


def test_each_hour_gets_the_fewest_crews_that_meet_the_standard_and_never_none():
    calls = [0.0] * 168
    calls[hour_of_week(FRIDAY_5PM)] = 3.0
    crews = crews_by_hour(calls, busy_minutes=100, travel_minutes=35, target=0.95)
    peak = hour_of_week(FRIDAY_5PM)
    standard = ResponseStandard(3.0, 100, 35)
    assert (
        within_standard(crews[peak], standard) >= 0.95 > within_standard(crews[peak] - 1, standard)
    )
    assert min(crews) == 1
