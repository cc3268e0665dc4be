"""A place's demand against its capacity, simulated with ciw (a discrete-event queueing
library), where the closed forms stop: demand and crews that change by the hour of the week.

Time is in minutes. Each function runs one replication from a seed; ``replicate`` runs
many and gives the mean with a 95% confidence interval (Student's t), so a result is
quoted with its uncertainty.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ciw
from scipy.stats import t as student_t

from .profile import HOURS_IN_A_WEEK

MINUTES_IN_A_DAY = 24 * 60


@dataclass(frozen=True)
class WardResult:
    turned_away: float  # share of admissions that found every place full
    occupancy: float  # time-average share of places in use, after the warm-up


def simulate_ward(
    *,
    places: int,
    arrivals_per_day: float,
    mean_stay_days: float,
    days: float,
    seed: int,
    warm_up_days: float = 30.0,
) -> WardResult:
    """A virtual ward or bed base: admissions turned away when full (no queue)."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrivals_per_day / MINUTES_IN_A_DAY)],
        service_distributions=[ciw.dists.Exponential(rate=1 / (mean_stay_days * MINUTES_IN_A_DAY))],
        number_of_servers=[places],
        queue_capacities=[0],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    start = warm_up_days * MINUTES_IN_A_DAY
    end = start + days * MINUTES_IN_A_DAY
    simulation.simulate_until_max_time(end)
    records = simulation.get_all_records()
    admitted = [r for r in records if r.record_type == "service" and r.arrival_date >= start]
    refused = [r for r in records if r.record_type == "rejection" and r.arrival_date >= start]
    # Service still running at the end counts up to the end; ciw records only finished
    # stays, so add those in progress from the servers themselves.
    busy = sum(
        max(0.0, min(r.service_end_date, end) - max(r.service_start_date, start))
        for r in records
        if r.record_type == "service"
    )
    for server in simulation.nodes[1].servers:
        if server.busy and server.cust is not None:
            busy += end - max(server.cust.service_start_date, start)
    arrivals = len(admitted) + len(refused)
    return WardResult(
        turned_away=len(refused) / arrivals if arrivals else 0.0,
        occupancy=busy / (places * (end - start)),
    )


@dataclass(frozen=True)
class ResponseResult:
    calls: int
    within: float  # share reached within the clock (the wait for a crew, then the travel)
    mean_wait_minutes: float


def _weekly_schedule(crews_by_hour: Sequence[int], weeks: int) -> ciw.Schedule:
    """The rota as shifts: hours with the same number of crews are one shift, because ciw
    starts a shift with fresh crews while those going off finish their call (as crews do),
    and a new shift every hour would double the crews for every call that runs over."""
    numbers: list[int] = []
    ends: list[float] = []
    for week in range(weeks):
        for hour, crews in enumerate(crews_by_hour):
            end = (week * HOURS_IN_A_WEEK + hour + 1) * 60.0
            if numbers and numbers[-1] == int(crews):
                ends[-1] = end
            else:
                numbers.append(int(crews))
                ends.append(end)
    return ciw.Schedule(numbers_of_servers=numbers, shift_end_dates=ends)


def simulate_response(
    *,
    calls_by_hour: Sequence[float],
    crews_by_hour: Sequence[int] | int,
    busy_minutes: float,
    travel_minutes: float,
    weeks: int,
    seed: int,
    within_minutes: float = 120.0,
) -> ResponseResult:
    """Urgent-response calls (a rate for each hour of the week) against crews on shift (a
    number, or one for each hour of the week): who is reached within the clock."""
    if len(calls_by_hour) != HOURS_IN_A_WEEK:
        raise ValueError("calls_by_hour: give a rate for each of the week's 168 hours")
    horizon = weeks * HOURS_IN_A_WEEK * 60.0
    rates = [calls_by_hour[h % HOURS_IN_A_WEEK] / 60 for h in range(weeks * HOURS_IN_A_WEEK)]
    endpoints = [(h + 1) * 60.0 for h in range(weeks * HOURS_IN_A_WEEK)]
    if isinstance(crews_by_hour, int):
        servers: int | ciw.Schedule = crews_by_hour
    else:
        if len(crews_by_hour) != HOURS_IN_A_WEEK:
            raise ValueError("crews_by_hour: give a number for each of the week's 168 hours")
        servers = _weekly_schedule(crews_by_hour, weeks)
    network = ciw.create_network(
        arrival_distributions=[
            ciw.dists.PoissonIntervals(rates=rates, endpoints=endpoints, max_sample_date=horizon)
        ],
        service_distributions=[ciw.dists.Exponential(rate=1 / busy_minutes)],
        number_of_servers=[servers],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(horizon)
    # Every call that arrived is judged: one still waiting at the end has waited that long.
    waits = [r.waiting_time for r in simulation.get_all_records() if r.record_type == "service"]
    node = simulation.nodes[1]
    serving = {id(server.cust) for server in node.servers if server.busy}
    for person in node.all_individuals:
        if id(person) in serving:  # reached, still with the crew
            waits.append(person.service_start_date - person.arrival_date)
        else:  # still waiting at the end: has waited this long at least
            waits.append(horizon - person.arrival_date)
    if not waits:
        return ResponseResult(0, 1.0, 0.0)
    slack = within_minutes - travel_minutes
    return ResponseResult(
        calls=len(waits),
        within=sum(1 for w in waits if w <= slack) / len(waits),
        mean_wait_minutes=statistics.fmean(waits),
    )


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float
    high: float
    replications: int


def replicate(run: Callable[[int], float], replications: int, *, seed: int = 1) -> Estimate:
    """``run(seed)`` for ``replications`` seeds: the mean and its 95% confidence interval."""
    values = [run(seed + i) for i in range(replications)]
    mean = statistics.fmean(values)
    if replications < 2:
        return Estimate(mean, mean, mean, replications)
    half = (
        student_t.ppf(0.975, replications - 1) * statistics.stdev(values) / math.sqrt(replications)
    )
    return Estimate(mean, mean - half, mean + half, replications)
