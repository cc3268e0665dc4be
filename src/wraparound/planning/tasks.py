"""The day as tasks: one task per member of staff that a visit needs.

A double-handed visit becomes two tasks that must start together on different
routes; a sync gap links two tasks. Tasks linked this way form a *job*, which
the search places or removes as a whole, so that no plan ever serves half of a
double-handed visit or one side of a sync gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from wraparound.planning.model import Problem

# Costs that dwarf any real objective, so that the search treats them as "never".
MANDATORY_UNSERVED = 1_000_000.0
HARD_VIOLATION = 1_000_000.0


@dataclass(frozen=True)
class Link:
    """``low <= start(second) - start(first) <= high``; ``apart``: on different routes."""

    first: int
    second: int
    low: float
    high: float
    apart: bool


class Tasks:
    """Flat arrays over tasks and staff, for the inner loops of timing and search."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        w = problem.weights
        self.travel = problem.travel.matrix(problem.places)
        self.visit_of: list[int] = []
        self.copy: list[int] = []
        for vi, v in enumerate(problem.visits):
            for c in range(v.staff_required):
                self.visit_of.append(vi)
                self.copy.append(c)
        visits = problem.visits
        n = len(self.visit_of)
        self.n = n
        self.place = [visits[self.visit_of[t]].place for t in range(n)]
        self.duration = [float(visits[self.visit_of[t]].duration) for t in range(n)]
        self.earliest = [float(visits[self.visit_of[t]].earliest) for t in range(n)]
        self.latest = [float(visits[self.visit_of[t]].latest) for t in range(n)]
        self.demand = [visits[self.visit_of[t]].demand for t in range(n)]
        # Lateness is counted once per visit, on its first task.
        self.counts_lateness = [self.copy[t] == 0 for t in range(n)]
        self.tasks_of_visit: list[list[int]] = [[] for _ in visits]
        for t in range(n):
            self.tasks_of_visit[self.visit_of[t]].append(t)

        staff = problem.staff
        self.k = len(staff)
        self.allowed: list[list[int]] = [
            [k for k, s in enumerate(staff) if visits[self.visit_of[t]].can_be_done_by(s)]
            for t in range(n)
        ]
        self.continuity_cost: list[list[float]] = []
        for t in range(n):
            pref = set(visits[self.visit_of[t]].preferred_staff)
            self.continuity_cost.append(
                [w.continuity if pref and s.id not in pref else 0.0 for s in staff]
            )

        self.links: list[Link] = []
        for v, ts in zip(visits, self.tasks_of_visit, strict=True):
            if v.staff_required == 2:
                self.links.append(Link(ts[0], ts[1], 0.0, 0.0, apart=True))
        index = {v.id: i for i, v in enumerate(visits)}
        for g in problem.sync:
            a = self.tasks_of_visit[index[g.first]][0]
            b = self.tasks_of_visit[index[g.second]][0]
            # Two visits tied by a gap are kept on different routes: one person
            # rarely does both, and it keeps the timing of a route self-contained.
            self.links.append(Link(a, b, float(g.min_gap), float(g.max_gap), apart=True))
        self.links_of: list[list[Link]] = [[] for _ in range(n)]
        for link in self.links:
            self.links_of[link.first].append(link)
            self.links_of[link.second].append(link)

        self.jobs = self._jobs()
        self.job_of = [0] * n
        for j, job in enumerate(self.jobs):
            for t in job:
                self.job_of[t] = j
        self.job_penalty = [self._penalty(job) for job in self.jobs]

    def _jobs(self) -> list[list[int]]:
        parent = list(range(self.n))

        def root(t: int) -> int:
            while parent[t] != t:
                parent[t] = parent[parent[t]]
                t = parent[t]
            return t

        for link in self.links:
            parent[root(link.first)] = root(link.second)
        groups: dict[int, list[int]] = {}
        for t in range(self.n):
            groups.setdefault(root(t), []).append(t)
        return [sorted(g) for g in sorted(groups.values(), key=min)]

    def _penalty(self, job: list[int]) -> float:
        total = 0.0
        for vi in sorted({self.visit_of[t] for t in job}):
            p = self.problem.visits[vi].penalty
            total += MANDATORY_UNSERVED if p is None else p
        return total
