"""A plan for the day: one route per member of staff, and what was left until tomorrow."""

from __future__ import annotations

from dataclasses import dataclass

from wraparound.planning.model import Problem


@dataclass(frozen=True)
class VisitStop:
    """A visit on a route, starting at ``start`` (minutes) and ending at ``end``."""

    visit: str
    start: float
    end: float
    arrival: float
    lateness: float


@dataclass(frozen=True)
class BreakStop:
    """A break taken on the way to the next stop (or home), from ``start`` for ``duration``."""

    start: float
    duration: int


Stop = VisitStop | BreakStop


@dataclass(frozen=True)
class Route:
    staff: str
    stops: tuple[Stop, ...]
    travel: float
    end: float
    overtime: float

    @property
    def visits(self) -> tuple[str, ...]:
        return tuple(s.visit for s in self.stops if isinstance(s, VisitStop))


@dataclass(frozen=True)
class Cost:
    """The objective and its parts, as the ``hhc-routing/1`` benchmark format defines them."""

    objective: float
    travel: float
    lateness: float
    max_lateness: float
    unserved_penalty: float
    continuity_misses: int
    overtime: float
    staff_used: int
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Plan:
    """Routes for a problem, with their cost; ``engine`` names what produced them."""

    problem: Problem
    routes: tuple[Route, ...]
    unserved: tuple[str, ...]
    cost: Cost
    engine: str = ""

    def route_of(self, staff_id: str) -> Route:
        for r in self.routes:
            if r.staff == staff_id:
                return r
        raise KeyError(staff_id)

    def starts(self) -> dict[str, float]:
        """Start of each served visit (the common start for double-handed visits)."""
        out: dict[str, float] = {}
        for r in self.routes:
            for s in r.stops:
                if isinstance(s, VisitStop):
                    out[s.visit] = s.start
        return out
