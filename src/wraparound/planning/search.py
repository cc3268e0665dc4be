"""Our own search: adaptive large-neighbourhood search over whole jobs.

Each iteration removes a few jobs (at random, near each other, or the most
costly), puts them back at their cheapest places (jointly for a
double-handed visit or a sync gap, so both sides start together), times every
route with the sync fixpoint, and keeps the result by simulated annealing.
The temperature follows the iteration count, never the clock, so a run is
repeatable for a seed when it stops on an iteration criterion.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from wraparound.planning.schedule import (
    NO_BOUND,
    TOLERANCE,
    Day,
    Evaluation,
    RouteTiming,
    evaluate,
    insertion_cost,
    time_route,
)
from wraparound.planning.stop import StoppingCriterion
from wraparound.planning.tasks import HARD_VIOLATION, MANDATORY_UNSERVED

# Iterations in one annealing cycle; each cycle restarts from the best plan.
CYCLE = 300
# Start temperature as a share of the plan's cost per task.
START_HEAT = 3.0
# Most jobs taken out in one step: more is slower and rarely better.
MAX_REMOVED = 15
# Candidate places kept per side when placing a linked pair jointly.
PAIR_CANDIDATES = 6


@dataclass
class Solution:
    routes: list[list[int]]
    unassigned: list[int]
    ev: Evaluation

    @property
    def cost(self) -> float:
        return self.ev.cost


@dataclass(frozen=True)
class Place:
    cost: float
    k: int
    pos: int
    start: float


class Search:
    """The search state for one day.

    The first ``fixed[k]`` tasks of route k stay where they are, ``locked`` jobs
    are never taken out, and ``pinned`` tasks must keep their ``floor`` start.
    """

    def __init__(
        self,
        day: Day,
        seed: int,
        fixed: list[int] | None = None,
        locked: set[int] | None = None,
        floor: list[float] | None = None,
        pinned: set[int] | None = None,
    ) -> None:
        self.day = day
        self.tk = day.tasks
        self.rng = random.Random(seed)
        self.fixed = fixed or [0] * self.tk.k
        self.locked = locked or set()
        self.floor = floor
        self.pinned = pinned or set()
        self.iterations = 0

    # -- building -----------------------------------------------------------
    def evaluate(self, routes: list[list[int]], unassigned: list[int]) -> Solution:
        ev = evaluate(self.day, routes, unassigned, self.floor, self.pinned)
        return Solution(routes, unassigned, ev)

    def construct(self, routes: list[list[int]] | None = None) -> Solution:
        """Start from ``routes`` (or nothing) and place every job that is not yet placed."""
        routes = [list(r) for r in routes] if routes else [[] for _ in range(self.tk.k)]
        placed = {t for r in routes for t in r}
        todo = [j for j, job in enumerate(self.tk.jobs) if job[0] not in placed]
        sol = self.evaluate(routes, todo)
        left = self.repair(sol, todo)
        return self.evaluate(sol.routes, left)

    # -- the search loop ----------------------------------------------------
    def run(self, start: Solution, stop: StoppingCriterion) -> Solution:
        best = current = start
        n = max(1, self.tk.n)
        while not stop(best.cost):
            self.iterations += 1
            phase = (self.iterations % CYCLE) / CYCLE
            if phase == 0.0:
                current = best
            heat = START_HEAT * _real_cost(best) / n * (1.0 - phase)
            candidate = self.step(current)
            delta = candidate.cost - current.cost
            if delta < 0 or (heat > 0 and self.rng.random() < math.exp(-delta / heat)):
                current = candidate
            if candidate.cost < best.cost - 1e-9:
                best = candidate
        return best

    def step(self, sol: Solution) -> Solution:
        routes = [list(r) for r in sol.routes]
        removed = self.destroy(sol, routes)
        mid = self.evaluate(routes, sol.unassigned + removed)
        extra = [j for j in sol.unassigned if self.tk.job_penalty[j] >= MANDATORY_UNSERVED]
        optional = [j for j in sol.unassigned if self.tk.job_penalty[j] < MANDATORY_UNSERVED]
        if optional:
            extra += self.rng.sample(optional, min(len(optional), 8))
        todo = removed + extra
        left = self.repair(mid, todo)
        left_set = set(left)
        unassigned = [j for j in sol.unassigned if j not in set(todo)] + [
            j for j in todo if j in left_set
        ]
        return self.evaluate(mid.routes, sorted(unassigned))

    # -- destroy ------------------------------------------------------------
    def destroy(self, sol: Solution, routes: list[list[int]]) -> list[int]:
        tk, rng = self.tk, self.rng
        where = _where(routes)
        movable = [
            j
            for j, job in enumerate(tk.jobs)
            if j not in self.locked and job[0] in where and self._movable(job, where)
        ]
        if not movable:
            return []
        q = min(len(movable), rng.randint(2, max(3, min(MAX_REMOVED, len(movable) // 8))))
        op = rng.random()
        if op < 0.1:
            chosen = self._route_jobs(routes, where, movable)
        elif op < 0.4:
            chosen = rng.sample(movable, q)
        elif op < 0.75:
            chosen = self._related(sol, where, movable, q)
        else:
            chosen = self._worst(sol, routes, where, movable, q)
        gone = {t for j in chosen for t in tk.jobs[j]}
        for k, seq in enumerate(routes):
            if any(t in gone for t in seq):
                routes[k] = [t for t in seq if t not in gone]
        return sorted(set(chosen))

    def _movable(self, job: list[int], where: dict[int, tuple[int, int]]) -> bool:
        return all(where[t][1] >= self.fixed[where[t][0]] for t in job if t in where)

    def _route_jobs(
        self, routes: list[list[int]], where: dict[int, tuple[int, int]], movable: list[int]
    ) -> list[int]:
        used = [k for k, r in enumerate(routes) if len(r) > self.fixed[k]]
        k = self.rng.choice(used)
        allowed = set(movable)
        return sorted({self.tk.job_of[t] for t in routes[k]} & allowed)

    def _pick(self, ranked: list[int], q: int) -> list[int]:
        # Shaw's randomised pick: favour the top of the ranking without always taking it.
        chosen: list[int] = []
        pool = list(ranked)
        while pool and len(chosen) < q:
            i = int(len(pool) * self.rng.random() ** 4)
            chosen.append(pool.pop(i))
        return chosen

    def _related(
        self, sol: Solution, where: dict[int, tuple[int, int]], movable: list[int], q: int
    ) -> list[int]:
        tk = self.tk
        seed = self.rng.choice(movable)
        st = tk.jobs[seed][0]
        s_start = self._start(sol, where, st)

        def distance(j: int) -> float:
            t = tk.jobs[j][0]
            return tk.travel[tk.place[st]][tk.place[t]] + 0.2 * abs(
                self._start(sol, where, t) - s_start
            )

        ranked = sorted((j for j in movable if j != seed), key=distance)
        return [seed, *self._pick(ranked, q - 1)]

    def _worst(
        self,
        sol: Solution,
        routes: list[list[int]],
        where: dict[int, tuple[int, int]],
        movable: list[int],
        q: int,
    ) -> list[int]:
        tk, w, day = self.tk, self.day.weights, self.day
        saving: dict[int, float] = {}
        for j in movable:
            total = 0.0
            for t in tk.jobs[j]:
                k, i = where[t]
                seq = routes[k]
                prev = tk.place[seq[i - 1]] if i > 0 else day.start_place[k]
                nxt = tk.place[seq[i + 1]] if i + 1 < len(seq) else day.end_place[k]
                here = tk.place[t]
                detour = tk.travel[prev][here] + tk.travel[here][nxt] - tk.travel[prev][nxt]
                late = max(0.0, self._start(sol, where, t) - tk.latest[t])
                total += w.travel * detour + w.lateness * late + tk.continuity_cost[t][k]
            saving[j] = total
        ranked = sorted(movable, key=lambda j: -saving[j])
        return self._pick(ranked, q)

    def _start(self, sol: Solution, where: dict[int, tuple[int, int]], t: int) -> float:
        k, i = where[t]
        timing = sol.ev.timings[k]
        if i < len(timing.starts) and timing.seq[i] == t:
            return timing.starts[i]
        return self.tk.earliest[t]

    # -- repair -------------------------------------------------------------
    def repair(self, sol: Solution, jobs: list[int]) -> list[int]:
        """Put ``jobs`` back at their cheapest places, changing ``sol.routes``; returns those left out."""
        tk, rng = self.tk, self.rng
        timings = list(sol.ev.timings)
        bound = list(sol.ev.bound)
        keyed = [(tk.job_penalty[j] < MANDATORY_UNSERVED, rng.random(), j) for j in jobs]
        left: list[int] = []
        for _, _, j in sorted(keyed):
            if not self._insert_job(j, sol.routes, timings, bound, sol.ev.max_late):
                left.append(j)
        return left

    def _insert_job(
        self,
        j: int,
        routes: list[list[int]],
        timings: list[RouteTiming],
        bound: list[float],
        max_late: float,
    ) -> bool:
        tk = self.tk
        job = tk.jobs[j]
        worth = tk.job_penalty[j]
        if len(job) == 1:
            places = self.cheapest_places(job[0], NO_BOUND, set(), timings, bound, max_late, 1)
            if not places or places[0].cost >= worth:
                return False
            self._put(job[0], places[0], routes, timings, bound)
            return True
        if len(job) == 2 and len(tk.links_of[job[0]]) == 1:
            return self._insert_pair(j, routes, timings, bound, max_late)
        return self._insert_chain(j, routes, timings, bound, max_late)

    def cheapest_places(
        self,
        t: int,
        t_bound: float,
        banned: set[int],
        timings: list[RouteTiming],
        bound: list[float],
        max_late: float,
        keep: int,
    ) -> list[Place]:
        day, tk, w = self.day, self.tk, self.day.weights
        travel, place, here_t = tk.travel, tk.place, tk.place[t]
        latest_t = tk.latest[t] if tk.counts_lateness[t] else math.inf
        found: list[Place] = []
        worst = math.inf
        for k in tk.allowed[t]:
            if k in banned:
                continue
            rt = timings[k]
            seq = rt.seq
            extra = tk.continuity_cost[t][k] + (0.0 if seq else w.staff_used)
            for pos in range(self.fixed[k], len(seq) + 1):
                # A cheap lower bound (the detour, and t's own lateness with no
                # breaks) skips most places before the exact walk prices them.
                if pos == 0:
                    before, free = day.start_place[k], day.shift_start[k]
                else:
                    p = seq[pos - 1]
                    before, free = place[p], rt.starts[pos - 1] + tk.duration[p]
                after = place[seq[pos]] if pos < len(seq) else day.end_place[k]
                late = free + travel[before][here_t] - latest_t
                if late > TOLERANCE and w.hard_windows:
                    continue
                bound_cost = (
                    w.travel
                    * (travel[before][here_t] + travel[here_t][after] - travel[before][after])
                    + (w.lateness * late if late > 0 else 0.0)
                    + extra
                )
                if bound_cost >= worst:
                    continue
                priced = insertion_cost(day, k, rt, bound, pos, t, t_bound, max_late)
                if priced is None or priced[0] >= worst:
                    continue
                found.append(Place(priced[0], k, pos, priced[1]))
                if len(found) > keep:
                    found.sort(key=lambda p: p.cost)
                    del found[keep:]
                if len(found) >= keep:
                    worst = max(p.cost for p in found)
        found.sort(key=lambda p: p.cost)
        return found

    def _put(
        self,
        t: int,
        place: Place,
        routes: list[list[int]],
        timings: list[RouteTiming],
        bound: list[float],
        t_bound: float = NO_BOUND,
    ) -> None:
        routes[place.k].insert(place.pos, t)
        bound[t] = t_bound if self.floor is None else max(t_bound, self.floor[t])
        timings[place.k] = time_route(self.day, place.k, routes[place.k], bound)

    def _insert_pair(
        self,
        j: int,
        routes: list[list[int]],
        timings: list[RouteTiming],
        bound: list[float],
        max_late: float,
    ) -> bool:
        tk = self.tk
        link = tk.links_of[tk.jobs[j][0]][0]
        a, b = link.first, link.second
        side_a = self.cheapest_places(a, NO_BOUND, set(), timings, bound, max_late, PAIR_CANDIDATES)
        side_b = self.cheapest_places(b, NO_BOUND, set(), timings, bound, max_late, PAIR_CANDIDATES)
        best: tuple[float, Place, Place, float, float] | None = None
        for pa in side_a:
            for pb in side_b:
                if link.apart and pa.k == pb.k:
                    continue
                sa = max(pa.start, pb.start - link.high)
                sb = max(pb.start, sa + link.low)
                sa = max(sa, sb - link.high)
                got_a = self._forced(pa, a, sa, timings, bound, max_late)
                got_b = self._forced(pb, b, sb, timings, bound, max_late)
                if got_a is None or got_b is None:
                    continue
                gap = got_b[1] - got_a[1]
                if gap < link.low - TOLERANCE or gap > link.high + TOLERANCE:
                    continue
                total = got_a[0] + got_b[0]
                if best is None or total < best[0]:
                    best = (total, pa, pb, got_a[1], got_b[1])
        if best is None or best[0] >= tk.job_penalty[j]:
            return False
        _, pa, pb, sa, sb = best
        self._put(a, pa, routes, timings, bound, sa)
        self._put(b, pb, routes, timings, bound, sb)
        return True

    def _forced(
        self,
        place: Place,
        t: int,
        start: float,
        timings: list[RouteTiming],
        bound: list[float],
        max_late: float,
    ) -> tuple[float, float] | None:
        """Price ``place`` when ``t`` may not start before ``start`` (no work if it already does)."""
        if start <= place.start + 1e-9:
            return place.cost, place.start
        return insertion_cost(
            self.day, place.k, timings[place.k], bound, place.pos, t, start, max_late
        )

    def _insert_chain(
        self,
        j: int,
        routes: list[list[int]],
        timings: list[RouteTiming],
        bound: list[float],
        max_late: float,
    ) -> bool:
        # Rare shapes (a visit in several gaps): place one task at a time, each
        # bounded by the ones already placed; undo all if one cannot be placed.
        tk = self.tk
        placed: dict[int, Place] = {}
        total = 0.0
        for t in tk.jobs[j]:
            t_bound = NO_BOUND
            banned: set[int] = set()
            for link in tk.links_of[t]:
                other = link.first if link.second == t else link.second
                if other not in placed:
                    continue
                banned.add(placed[other].k)
                s_other = placed[other].start
                t_bound = max(
                    t_bound, s_other + link.low if link.second == t else s_other - link.high
                )
            places = self.cheapest_places(t, t_bound, banned, timings, bound, max_late, 1)
            if not places:
                for u, p in placed.items():
                    routes[p.k].remove(u)
                    timings[p.k] = time_route(self.day, p.k, routes[p.k], bound)
                return False
            placed[t] = places[0]
            total += places[0].cost
            self._put(t, places[0], routes, timings, bound, t_bound)
        return True


def _where(routes: list[list[int]]) -> dict[int, tuple[int, int]]:
    return {t: (k, i) for k, seq in enumerate(routes) for i, t in enumerate(seq)}


def _real_cost(sol: Solution) -> float:
    """The cost without the huge terms for broken rules, to size the annealing temperature."""
    return max(sol.cost % HARD_VIOLATION, 1.0)
