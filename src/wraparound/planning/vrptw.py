"""Plain vehicle routing with time windows, handed to PyVRP (see docs/adr/0001)."""

from __future__ import annotations

from wraparound.planning.model import Problem
from wraparound.planning.plan import Plan
from wraparound.planning.stop import StoppingCriterion


def suits(problem: Problem) -> bool:
    return False


def plan_with_pyvrp(
    problem: Problem, time_limit: float, seed: int, stop: StoppingCriterion | None
) -> Plan:
    raise NotImplementedError
