"""Stopping criteria for the search, as in PyVRP's ``pyvrp.stop``: called once per iteration."""

from __future__ import annotations

import time
from typing import Protocol


class StoppingCriterion(Protocol):
    def __call__(self, best_cost: float) -> bool:
        """True when the search should stop, given the best cost found so far."""
        ...


class MaxRuntime:
    """Stop after ``seconds`` of wall-clock time from the first call."""

    def __init__(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        self.seconds = seconds
        self._started: float | None = None

    def __call__(self, best_cost: float) -> bool:
        if self._started is None:
            self._started = time.perf_counter()
        return time.perf_counter() - self._started >= self.seconds


class MaxIterations:
    """Stop after ``iterations`` calls: the criterion that makes a run repeatable."""

    def __init__(self, iterations: int) -> None:
        if iterations < 0:
            raise ValueError("iterations must not be negative")
        self.iterations = iterations
        self._count = 0

    def __call__(self, best_cost: float) -> bool:
        self._count += 1
        return self._count > self.iterations


class NoImprovement:
    """Stop after ``iterations`` calls in a row without a better best cost."""

    def __init__(self, iterations: int) -> None:
        self.iterations = iterations
        self._best = float("inf")
        self._since = 0

    def __call__(self, best_cost: float) -> bool:
        if best_cost < self._best:
            self._best, self._since = best_cost, 0
        else:
            self._since += 1
        return self._since > self.iterations


class FirstOf:
    """Stop as soon as any of the given criteria says so (each is still called every time)."""

    def __init__(self, *criteria: StoppingCriterion) -> None:
        self.criteria = criteria

    def __call__(self, best_cost: float) -> bool:
        answers = [c(best_cost) for c in self.criteria]
        return any(answers)
