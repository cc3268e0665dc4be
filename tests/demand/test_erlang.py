"""Erlang's formulas against their exact small cases and an independent computation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import poisson

from wraparound.demand.erlang import (
    ResponseStandard,
    crews_needed,
    erlang_b,
    erlang_c,
    occupancy,
    places_needed,
    within_standard,
)


def _erlang_b_from_poisson(servers: int, load: float) -> float:
    # Erlang B is the Poisson distribution truncated at the number of servers.
    return float(poisson.pmf(servers, load) / poisson.cdf(servers, load))


def _erlang_c_by_its_sum(servers: int, load: float) -> float:
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    return top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)


def test_erlang_b_in_its_exact_small_cases():
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(1, 2.0) == pytest.approx(2 / 3)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)  # (1/2) / (1 + 1 + 1/2)


def test_erlang_b_as_the_tables_give_it():
    # The published Erlang B tables (e.g. Iversen, "Teletraffic Engineering and Network
    # Planning", DTU 2015, the table of Erlang's B-formula): 10 circuits at 5 Erlangs block
    # 1.84%; 20 circuits at 15 Erlangs, 4.56%.
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-6)
    assert erlang_b(20, 15.0) == pytest.approx(0.045593, abs=5e-6)


@given(st.integers(1, 120), st.floats(0.1, 150))
def test_erlang_b_agrees_with_the_truncated_poisson(servers, load):
    assert erlang_b(servers, load) == pytest.approx(_erlang_b_from_poisson(servers, load), rel=1e-6)


def test_erlang_c_in_its_exact_small_cases():
    # M/M/2 at 1 Erlang waits with probability 1/3, M/M/3 at 2 Erlangs 4/9 (the closed form
    # C = (a^c/c!)(c/(c-a)) / (sum_{k<c} a^k/k! + (a^c/c!)(c/(c-a))), worked by hand).
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)


@given(st.integers(1, 60), st.floats(0.05, 0.98))
def test_erlang_c_agrees_with_its_sum(servers, utilisation):
    load = servers * utilisation
    assert erlang_c(servers, load) == pytest.approx(_erlang_c_by_its_sum(servers, load), rel=1e-6)


def test_one_crew_is_an_mm1_queue():
    # rho = 0.5: half of calls wait; P(wait <= t) = 1 - rho e^(-(mu - lambda) t).
    standard = ResponseStandard(calls_per_hour=1.0, busy_minutes=30, travel_minutes=20)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)
    mu, lam = 1 / 30, 1 / 60
    assert within_standard(1, standard) == pytest.approx(1 - 0.5 * math.exp(-(mu - lam) * 100))


def test_an_overloaded_pool_reaches_nobody_in_time():
    assert within_standard(2, ResponseStandard(4.0, 60, 20)) == 0.0
    assert erlang_c(2, 3.0) == 1.0


def test_the_crews_needed_are_the_fewest_that_meet_the_standard():
    friday_evening = ResponseStandard(calls_per_hour=3.0, busy_minutes=100, travel_minutes=35)
    crews = crews_needed(friday_evening, 0.95)
    assert within_standard(crews, friday_evening) >= 0.95
    assert within_standard(crews - 1, friday_evening) < 0.95


def test_the_places_needed_are_the_fewest_that_meet_the_turn_away_target():
    places = places_needed(arrivals_per_day=4.0, mean_stay_days=5.0, turn_away=0.05)
    assert erlang_b(places, 20.0) <= 0.05 < erlang_b(places - 1, 20.0)
    assert 0 < occupancy(places, 20.0) < 1


@pytest.mark.parametrize("target", [0.0, 1.0, 1.5])
def test_a_target_that_is_not_a_share_is_refused(target):
    with pytest.raises(ValueError, match="share"):
        crews_needed(ResponseStandard(1, 60, 20), target)


def test_the_load_for_a_turn_away_target_is_where_erlang_b_meets_it():
    from wraparound.demand.erlang import load_for_turn_away

    load = load_for_turn_away(20, 0.05)
    assert erlang_b(20, load) == pytest.approx(0.05, abs=1e-9)


def test_a_small_ward_cannot_be_as_full_as_a_big_one_at_the_same_target():
    from wraparound.demand.erlang import reachable_occupancy

    curve = [reachable_occupancy(places, 0.05) for places in (5, 10, 20, 40, 80)]
    assert curve == sorted(curve)
    assert curve[0] < 0.5 and 0.85 < curve[-1] < 1  # 5 places: 42%; 80 places: 89%
