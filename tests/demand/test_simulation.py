"""The simulation against the closed forms (small versions: bench/demand.py runs 30
replications of a year)."""

from __future__ import annotations

import pytest

from wraparound.demand.erlang import ResponseStandard, erlang_b, occupancy, within_standard
from wraparound.demand.simulation import replicate, simulate_response, simulate_ward


def test_a_simulated_ward_turns_away_as_erlang_b_says():
    blocked = replicate(
        lambda seed: (
            simulate_ward(
                places=20, arrivals_per_day=3.0, mean_stay_days=5.0, days=730, seed=seed
            ).turned_away
        ),
        8,
    )
    assert blocked.mean == pytest.approx(erlang_b(20, 15.0), abs=0.015)
    assert blocked.low < blocked.mean < blocked.high


def test_a_simulated_ward_is_as_full_as_the_carried_load_says():
    full = replicate(
        lambda seed: (
            simulate_ward(
                places=20, arrivals_per_day=3.0, mean_stay_days=5.0, days=730, seed=seed
            ).occupancy
        ),
        8,
    )
    assert full.mean == pytest.approx(occupancy(20, 15.0), abs=0.015)


def test_simulated_crews_reach_people_in_time_as_erlang_c_says():
    standard = ResponseStandard(calls_per_hour=1.0, busy_minutes=90, travel_minutes=30)
    within = replicate(
        lambda seed: simulate_response(
            calls_by_hour=[1.0] * 168, crews_by_hour=3, busy_minutes=90, travel_minutes=30,
            weeks=26, seed=seed,
        ).within,
        6,
    )  # fmt: skip
    assert within.mean == pytest.approx(within_standard(3, standard), abs=0.02)


def test_a_rota_of_the_same_crews_every_hour_is_the_fixed_number():
    def within(crews):
        return replicate(
            lambda seed: simulate_response(
                calls_by_hour=[1.0] * 168, crews_by_hour=crews, busy_minutes=90,
                travel_minutes=30, weeks=26, seed=seed,
            ).within,
            6,
        ).mean  # fmt: skip

    assert within([3] * 168) == pytest.approx(within(3), abs=0.015)


def test_more_crews_at_the_evening_peak_reach_more_people_in_time():
    calls = [2.5 if 16 <= h % 24 < 20 else 0.6 for h in range(168)]
    flat = [2] * 168
    shaped = [3 if 16 <= h % 24 < 20 else 2 for h in range(168)]
    common = dict(calls_by_hour=calls, busy_minutes=90, travel_minutes=30, weeks=12, seed=5)
    assert (
        simulate_response(crews_by_hour=shaped, **common).within
        > simulate_response(crews_by_hour=flat, **common).within
    )


def test_a_week_that_is_not_168_hours_is_refused():
    with pytest.raises(ValueError, match="168"):
        simulate_response(
            calls_by_hour=[1.0] * 24, crews_by_hour=2, busy_minutes=60, travel_minutes=20,
            weeks=1, seed=1,
        )  # fmt: skip
