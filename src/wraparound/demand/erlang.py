"""Erlang's formulas: a loss system (a ward: full means turned away) and a delay system
(an urgent-response crew pool: busy means the person waits).

Offered load ``a`` is arrivals per unit time x mean time in service (Erlangs). Both formulas
assume Poisson arrivals; Erlang B holds for any service-time distribution, Erlang C for
exponential service. Computed by the standard recursions, which stay finite for hundreds of
servers where the factorial forms overflow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(servers: int, load: float) -> float:
    """Probability an arrival finds every one of ``servers`` busy and is turned away."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load cannot be negative")
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Probability an arrival has to wait (every server busy), for ``load`` < ``servers``."""
    if load >= servers:
        return 1.0  # the queue grows without end: everyone waits
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1 - b))


def occupancy(servers: int, load: float) -> float:
    """Share of the places in use in a loss system (the carried load over the places)."""
    return load * (1 - erlang_b(servers, load)) / servers if servers else 0.0


@dataclass(frozen=True)
class ResponseStandard:
    """Crews answering calls: calls an hour, minutes a call keeps a crew (travel, time on
    scene, travel back), minutes of travel to the person inside the clock, and the clock."""

    calls_per_hour: float
    busy_minutes: float
    travel_minutes: float
    within_minutes: float = 120.0

    @property
    def load(self) -> float:
        return self.calls_per_hour * self.busy_minutes / 60


def within_standard(crews: int, standard: ResponseStandard) -> float:
    """Share of calls reached within the clock: the wait for a crew, then the travel.

    P(wait <= t) = 1 - C e^(-(c mu - lambda) t), t = the clock less the travel (M/M/c).
    """
    slack = standard.within_minutes - standard.travel_minutes
    if slack < 0:
        return 0.0
    load = standard.load
    if load >= crews:
        return 0.0
    rate_out = (crews - load) / standard.busy_minutes  # (c mu - lambda), per minute
    return 1 - erlang_c(crews, load) * math.exp(-rate_out * slack)


def crews_needed(standard: ResponseStandard, target: float) -> int:
    """The fewest crews that reach ``target`` (0 to 1) of calls within the clock."""
    if not 0 < target < 1:
        raise ValueError("the target is a share between 0 and 1")
    if standard.within_minutes <= standard.travel_minutes:
        raise ValueError("no crew can arrive within the clock when the travel alone exceeds it")
    crews = max(1, math.floor(standard.load) + 1)
    while within_standard(crews, standard) < target:
        crews += 1
    return crews


def places_needed(arrivals_per_day: float, mean_stay_days: float, turn_away: float) -> int:
    """The fewest places that turn away no more than ``turn_away`` (0 to 1) of admissions."""
    if not 0 < turn_away < 1:
        raise ValueError("the turn-away target is a share between 0 and 1")
    load = arrivals_per_day * mean_stay_days
    places = 1
    while erlang_b(places, load) > turn_away:
        places += 1
    return places


def load_for_turn_away(places: int, turn_away: float) -> float:
    """The offered load at which ``places`` turn away exactly ``turn_away`` of admissions
    (Erlang B is increasing in the load: found by bisection to 1e-9 Erlangs)."""
    if places < 1:
        raise ValueError("a ward needs at least one place")
    if not 0 < turn_away < 1:
        raise ValueError("the turn-away target is a share between 0 and 1")
    low, high = 0.0, float(places)
    while erlang_b(places, high) < turn_away:
        high *= 2
    while high - low > 1e-9:
        middle = (low + high) / 2
        if erlang_b(places, middle) < turn_away:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def reachable_occupancy(places: int, turn_away: float) -> float:
    """The highest occupancy a ward of ``places`` can run at while turning away no more than
    ``turn_away``: why a small ward cannot be as full as a big one at the same target."""
    return occupancy(places, load_for_turn_away(places, turn_away))
