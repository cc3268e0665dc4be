"""The project's own judge of a plan: is it feasible, and what does it cost?

Tests judge plans here, so they run on a plain clone; the benchmarks in ``bench/`` are still
judged by the independent checker that sits outside the repository. The rules are those of
the ``hhc-routing/1`` format (``docs/planning/hhc-routing-format.md``), re-derived from the
format rather than from the planner: this module walks each route as a stopwatch would and
shares nothing with ``schedule.py`` or the compiled kernel but the parsed problem and its
travel matrix.

A route leaves its start no earlier than the shift starts. Breaks listed in a route are taken
on the way to the next stop: each begins at its listed time (or on arrival there, if later)
and pushes what follows back by its length. A visit may start no earlier than the arrival
and its window's opening; after its closing only when windows are soft (the minutes past it
are lateness). A double-handed visit's two staff start it at the same minute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wraparound.planning.model import Problem, Staff, Visit

# Minutes of slack: solutions may round their times, and rounding accumulates along a route.
SLACK = 1e-2


@dataclass
class _Walk:
    """What one route's walk found."""

    travel: float = 0.0
    overtime: float = 0.0
    used: bool = False


@dataclass
class Verdict:
    """The judge's answer: feasible or not (with every reason), and the objective's parts."""

    name: str
    problems: list[str] = field(default_factory=list)
    travel: float = 0.0
    lateness: float = 0.0
    max_lateness: float = 0.0
    penalty: float = 0.0
    continuity_misses: int = 0
    overtime: float = 0.0
    staff_used: int = 0
    served: int = 0
    visits: int = 0
    objective: float = 0.0

    @property
    def feasible(self) -> bool:
        return not self.problems

    def as_report(self) -> dict[str, Any]:
        """The verdict as the independent checker reports it, so the two read alike."""
        return {
            "instance": self.name,
            "feasible": self.feasible,
            "objective": round(self.objective, 6),
            "components": {
                "travel": round(self.travel, 6),
                "tardiness": round(self.lateness, 6),
                "max_tardiness": round(self.max_lateness, 6),
                "unserved_penalty": round(self.penalty, 6),
                "continuity_misses": self.continuity_misses,
                "overtime": round(self.overtime, 6),
                "staff_used": self.staff_used,
                "served": self.served,
                "visits": self.visits,
            },
            "errors": self.problems[:50],
            "error_count": len(self.problems),
        }


def judge(problem: Problem, solution: Mapping[str, Any]) -> Verdict:
    """Judge ``solution`` (an ``hhc-routing/1`` solution) against ``problem``."""
    verdict = Verdict(name=problem.name, visits=len(problem.visits))
    minutes = problem.travel.matrix(problem.places)
    staff = {s.id: s for s in problem.staff}
    visits = {v.id: v for v in problem.visits}
    starts: dict[str, list[tuple[str, float]]] = {v: [] for v in visits}
    routed: set[str] = set()
    for route in solution.get("routes", []):
        who = route.get("staff")
        if who not in staff:
            verdict.problems.append(f"a route for staff {who!r}, who is not in the problem")
            continue
        if who in routed:
            verdict.problems.append(f"{who} has two routes")
            continue
        routed.add(who)
        walk = _walk_route(staff[who], route.get("stops", []), visits, minutes, problem, verdict)
        for stop in route.get("stops", []):
            if not stop.get("break") and stop.get("visit") in starts:
                starts[stop["visit"]].append((who, _start(stop)))
        verdict.travel += walk.travel
        verdict.overtime += walk.overtime
        verdict.staff_used += walk.used
    _score_visits(problem, solution, starts, verdict)
    weights = problem.weights
    verdict.objective = (
        weights.travel * verdict.travel
        + weights.lateness * verdict.lateness
        + weights.max_lateness * verdict.max_lateness
        + verdict.penalty
        + weights.continuity * verdict.continuity_misses
        + weights.overtime * verdict.overtime
        + weights.staff_used * verdict.staff_used
    )
    return verdict


def _start(stop: Mapping[str, Any]) -> float:
    try:
        return float(stop["start"])
    except (KeyError, TypeError, ValueError):
        return math.nan


def _walk_route(
    person: Staff,
    stops: Sequence[Mapping[str, Any]],
    visits: Mapping[str, Visit],
    minutes: Sequence[Sequence[float]],
    problem: Problem,
    verdict: Verdict,
) -> _Walk:
    walk = _Walk(used=any("visit" in stop for stop in stops))
    if not walk.used:
        return walk  # a member of staff with no visits stays at home
    place, free_at, load = person.start_place, float(person.shift_start), 0
    left_at: float | None = None
    breaks = list(person.breaks)
    on_the_way: list[tuple[float, int]] = []  # breaks taken before reaching the next stop
    for stop in stops:
        start = _start(stop)
        if not math.isfinite(start):
            verdict.problems.append(f"{person.id}: a stop has no finite start ({stop!r})")
            continue
        if stop.get("break"):
            if not breaks:
                verdict.problems.append(f"{person.id}: takes more breaks than the shift has")
                continue
            taken = breaks.pop(0)
            if start < free_at - SLACK:
                verdict.problems.append(
                    f"{person.id}: a break at {start} starts before the stop before it ends "
                    f"({free_at:.3f})"
                )
            if not taken.earliest - SLACK <= start <= taken.latest + SLACK:
                verdict.problems.append(
                    f"{person.id}: a break at {start} is outside its window "
                    f"[{taken.earliest}, {taken.latest}]"
                )
            on_the_way.append((start, taken.duration))
            continue
        visit = visits.get(stop.get("visit", ""))
        if visit is None:
            verdict.problems.append(f"{person.id}: visits {stop.get('visit')!r}, not a visit")
            continue
        leg = minutes[place][visit.place]
        left_at = free_at if left_at is None else left_at
        arrival = _after_breaks(free_at + leg, on_the_way)
        on_the_way = []
        walk.travel += leg
        _check_visit(person, visit, start, arrival, problem, verdict)
        load += visit.demand
        place, free_at = visit.place, max(arrival, start) + visit.duration
    leg = minutes[place][person.end_place]
    walk.travel += leg
    home = _after_breaks(free_at + leg, on_the_way)
    if person.capacity is not None and load > person.capacity + SLACK:
        verdict.problems.append(f"{person.id}: carries {load}, over capacity {person.capacity}")
    past_end = home - person.shift_end
    if past_end > SLACK:
        if problem.weights.hard_shift_end:
            verdict.problems.append(
                f"{person.id}: gets back at {home:.3f}, after the shift ends ({person.shift_end})"
            )
        else:
            walk.overtime = past_end
    if person.max_work is not None and left_at is not None:
        worked = home - left_at
        if worked > person.max_work + SLACK:
            verdict.problems.append(
                f"{person.id}: works {worked:.1f} minutes, over the most allowed ({person.max_work})"
            )
    if breaks:
        verdict.problems.append(f"{person.id}: {len(breaks)} break(s) not taken")
    return walk


def _after_breaks(reached: float, breaks: Sequence[tuple[float, int]]) -> float:
    for begins, duration in breaks:
        reached = max(reached, begins) + duration
    return reached


def _check_visit(
    person: Staff, visit: Visit, start: float, arrival: float, problem: Problem, verdict: Verdict
) -> None:
    if start < arrival - SLACK:
        verdict.problems.append(
            f"{person.id}: {visit.id} starts at {start}, before arriving at {arrival:.3f}"
        )
    if start < visit.earliest - SLACK:
        verdict.problems.append(
            f"{person.id}: {visit.id} starts at {start}, before its window opens ({visit.earliest})"
        )
    if problem.weights.hard_windows and start > visit.latest + SLACK:
        verdict.problems.append(
            f"{person.id}: {visit.id} starts at {start}, after its window closes ({visit.latest})"
        )
    if missing := visit.skills - person.skills:
        verdict.problems.append(f"{person.id}: lacks {sorted(missing)} for {visit.id}")
    if visit.pinned_to not in (None, person.id):
        verdict.problems.append(f"{person.id}: does {visit.id}, which is held to {visit.pinned_to}")


def _score_visits(
    problem: Problem,
    solution: Mapping[str, Any],
    starts: Mapping[str, list[tuple[str, float]]],
    verdict: Verdict,
) -> None:
    listed_unserved = set(solution.get("unserved", []))
    first_start: dict[str, float] = {}
    for visit in problem.visits:
        got = starts[visit.id]
        if not got:
            if visit.mandatory:
                verdict.problems.append(f"{visit.id} must be visited today and is not")
            else:
                verdict.penalty += visit.penalty or 0.0
            continue
        verdict.served += 1
        if visit.id in listed_unserved:
            verdict.problems.append(f"{visit.id} is visited and also listed as not visited")
        if len(got) != visit.staff_required:
            verdict.problems.append(
                f"{visit.id} has {len(got)} staff, and needs {visit.staff_required}"
            )
        if len({who for who, _ in got}) != len(got):
            verdict.problems.append(f"{visit.id} is visited twice by the same person")
        times = [t for _, t in got]
        if max(times) - min(times) > SLACK:
            verdict.problems.append(f"{visit.id}: its two staff start at different times {times}")
        first_start[visit.id] = min(times)
        late = max(0.0, min(times) - visit.latest)
        verdict.lateness += late
        verdict.max_lateness = max(verdict.max_lateness, late)
        if visit.preferred_staff:
            verdict.continuity_misses += sum(
                1 for who, _ in got if who not in visit.preferred_staff
            )
    for gap in problem.sync:
        a, b = first_start.get(gap.first), first_start.get(gap.second)
        if a is not None and b is not None:
            if not gap.min_gap - SLACK <= b - a <= gap.max_gap + SLACK:
                verdict.problems.append(
                    f"{gap.first} then {gap.second}: {b - a:.3f} minutes apart, outside "
                    f"[{gap.min_gap}, {gap.max_gap}]"
                )
        elif (a is None) != (b is None):
            verdict.problems.append(
                f"{gap.first} and {gap.second}: only one of the pair is visited"
            )
