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

import numpy as np

from wraparound.planning import kernel
from wraparound.planning.kernel import Timing
from wraparound.planning.schedule import NO_BOUND, Day
from wraparound.planning.stop import StoppingCriterion
from wraparound.planning.tasks import HARD_VIOLATION, MANDATORY_UNSERVED

Bound = np.ndarray

# Iterations in one annealing cycle; each cycle restarts from the best plan.
# 1000 beat 300 on Mankowska C-F at 10 s (mean gap 2.5 % against 3.4 %): longer
# cycles let the search leave a basin before it is pulled back to the best.
CYCLE = 1000
# Start temperature as a share of the plan's cost per task.
START_HEAT = 3.0
# Most jobs taken out in one step (and at most a quarter of them): bigger steps
# escape basins that steps of 2-15 jobs stay in (Mankowska C-F at 10 s: mean gap
# 3.4 % against 4.4 %); beyond this they are slow and rarely better.
MAX_REMOVED = 30
# Nearest tasks next to which a step tries to put a task (granular neighbourhood).
# Mankowska C-F at 10 s, mean gap: 20 -> 4.7 %, 40 -> 1.5 %, 60 -> 2.5 %, every
# place -> 2.9 % (fewer places priced means more iterations in the same time).
NEIGHBOURS = 40
# Candidate places kept per side when placing a linked pair jointly.
PAIR_CANDIDATES = 6


@dataclass
class Scored:
    """Routes timed by the compiled kernel: the timing arrays, sync bounds and cost."""

    timing: Timing
    bound: np.ndarray
    route_of: np.ndarray  # the route of each task, -1 if unserved
    index_of: np.ndarray  # its place in that route
    cost: float
    max_late: float


@dataclass
class Solution:
    routes: list[list[int]]
    unassigned: list[int]
    ev: Scored

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
        granular: bool = True,
    ) -> None:
        self.day = day
        self.tk = day.tasks
        self.rng = random.Random(seed)
        self.fixed = fixed or [0] * self.tk.k
        self.locked = locked or set()
        self.floor = floor
        self.pinned = pinned or set()
        self.iterations = 0
        tk = self.tk
        self.static = kernel.static_of(day)
        self._fixed = np.asarray(self.fixed, dtype=np.int64)
        self.jobs = kernel.jobs_of(day)
        # Nothing fixed or locked (a whole day being planned): every placed job may move.
        self._free = not self.locked and not any(self.fixed)
        self._pinned = np.zeros(tk.n, dtype=np.bool_)
        for t in self.pinned:
            self._pinned[t] = True
        self._floor = kernel.fresh_bound(tk.n, floor)
        # Steps of the search try only places next to a task's nearest
        # neighbours; an urgent insertion (granular off) tries every place,
        # so it need not build the neighbour table.
        self.near = (
            kernel.neighbours(day, NEIGHBOURS) if granular else np.zeros((0, 0), dtype=np.bool_)
        )
        self._first = np.asarray([job[0] for job in tk.jobs], dtype=np.int64)

    # -- building -----------------------------------------------------------
    def evaluate(self, routes: list[list[int]], unassigned: list[int]) -> Solution:
        n = self.tk.n
        tm = kernel.new_timing(routes, n)
        bound = kernel.fresh_bound(n, self.floor)
        route_of = np.full(n, -1, dtype=np.int64)
        index_of = np.full(n, -1, dtype=np.int64)
        cost, max_late, _ = kernel.evaluate_all(
            self.static,
            tm,
            bound,
            route_of,
            index_of,
            self._pinned,
            self._floor,
            self.floor is not None and bool(self.pinned),
        )
        cost += sum(self.tk.job_penalty[j] for j in unassigned)
        scored = Scored(tm, bound, route_of, index_of, cost, max_late)
        return Solution(routes, unassigned, scored)

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
        # Only the routes the destroy touched are re-timed; the sync bounds of
        # the rest are kept, which can only make them late, never too early.
        # The candidate is then timed exactly, from scratch.
        tm = kernel.copy_timing(sol.ev.timing)
        bound = sol.ev.bound.copy()
        touched = [k for k in range(self.tk.k) if len(routes[k]) != tm.length[k]]
        for k in touched:
            tm.length[k] = len(routes[k])
            tm.seq[k, : len(routes[k])] = routes[k]
        kernel.time_rows(self.static, tm, bound, np.asarray(touched, dtype=np.int64))
        extra = [j for j in sol.unassigned if self.tk.job_penalty[j] >= MANDATORY_UNSERVED]
        optional = [j for j in sol.unassigned if self.tk.job_penalty[j] < MANDATORY_UNSERVED]
        if optional:
            extra += self.rng.sample(optional, min(len(optional), 8))
        todo = removed + extra
        left = self._repair_into(routes, tm, bound, sol.ev.max_late, todo)
        left_set = set(left)
        unassigned = [j for j in sol.unassigned if j not in set(todo)] + [
            j for j in todo if j in left_set
        ]
        return self.evaluate(routes, sorted(unassigned))

    # -- destroy ------------------------------------------------------------
    def destroy(self, sol: Solution, routes: list[list[int]]) -> list[int]:
        tk, rng = self.tk, self.rng
        route_of, index_of = sol.ev.route_of, sol.ev.index_of
        placed = np.flatnonzero(route_of[self._first] >= 0)
        if self._free:
            movable = placed.tolist()
        else:
            movable = [
                j
                for j in placed.tolist()
                if j not in self.locked
                and all(index_of[t] >= self.fixed[route_of[t]] for t in tk.jobs[j])
            ]
        if not movable:
            return []
        q = min(len(movable), rng.randint(2, max(3, min(MAX_REMOVED, len(movable) // 4))))
        op = rng.random()
        if op < 0.1:
            chosen = self._route_jobs(routes, movable)
        elif op < 0.4:
            chosen = rng.sample(movable, q)
        elif op < 0.75:
            seed = rng.choice(movable)
            others = np.asarray([j for j in movable if j != seed], dtype=np.int64)
            far = kernel.relatedness(
                self.static, sol.ev.timing, route_of, index_of, self._first, seed, others
            )
            ranked = others[np.argsort(far, kind="stable")].tolist()
            chosen = [seed, *self._pick(ranked, q - 1)]
        else:
            arr = np.asarray(movable, dtype=np.int64)
            saving = kernel.worst_savings(
                self.static, sol.ev.timing, route_of, index_of, self.jobs, arr
            )
            chosen = self._pick(arr[np.argsort(-saving, kind="stable")].tolist(), q)
        gone = {t for j in chosen for t in tk.jobs[j]}
        for k, seq in enumerate(routes):
            if any(t in gone for t in seq):
                routes[k] = [t for t in seq if t not in gone]
        return sorted(set(chosen))

    def _route_jobs(self, routes: list[list[int]], movable: list[int]) -> list[int]:
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

    # -- repair -------------------------------------------------------------
    def repair(self, sol: Solution, jobs: list[int]) -> list[int]:
        """Put ``jobs`` back at their cheapest places, changing ``sol.routes``; returns those left out.

        Mandatory jobs go first, in random order, then optional ones. A
        double-handed visit or a sync gap is placed jointly: the cheapest few
        places of each side, paired so that both start together. The timing
        arrays are copied, so ``sol.ev`` still describes the routes it was given.
        """
        tm = kernel.copy_timing(sol.ev.timing)
        return self._repair_into(sol.routes, tm, sol.ev.bound.copy(), sol.ev.max_late, jobs)

    def _repair_into(
        self,
        routes: list[list[int]],
        tm: Timing,
        bound: Bound,
        max_late: float,
        jobs: list[int],
    ) -> list[int]:
        tk, rng = self.tk, self.rng
        keyed = [(tk.job_penalty[j] < MANDATORY_UNSERVED, rng.random(), j) for j in jobs]
        order = np.asarray([j for _, _, j in sorted(keyed)], dtype=np.int64)
        left = np.empty(len(order), dtype=np.int64)
        n_left = kernel.repair(
            self.static,
            tm,
            bound,
            self._floor,
            self.floor is not None,
            self.jobs,
            self._fixed,
            self.near,
            order,
            max_late,
            PAIR_CANDIDATES,
            left,
        )
        for k in range(tk.k):
            if len(routes[k]) != tm.length[k]:
                routes[k] = tm.seq[k, : tm.length[k]].tolist()
        return [int(j) for j in left[:n_left]]

    def cheapest_places(
        self,
        t: int,
        t_bound: float,
        banned: set[int],
        tm: Timing,
        bound: Bound,
        max_late: float,
        keep: int,
    ) -> list[Place]:
        """The ``keep`` cheapest places for task ``t``, cheapest first (priced by the kernel)."""
        ban = np.zeros(self.tk.k, dtype=np.bool_)
        for k in banned:
            ban[k] = True
        costs, starts = np.empty(keep), np.empty(keep)
        ks, poss = np.empty(keep, dtype=np.int64), np.empty(keep, dtype=np.int64)
        allowed = np.asarray(self.tk.allowed[t], dtype=np.int64)
        found = kernel.cheapest(
            self.static,
            tm,
            bound,
            allowed,
            ban,
            self._fixed,
            np.zeros(0, dtype=np.bool_),
            t,
            t_bound,
            max_late,
            keep,
            costs,
            ks,
            poss,
            starts,
        )
        return [
            Place(float(costs[i]), int(ks[i]), int(poss[i]), float(starts[i])) for i in range(found)
        ]


def _real_cost(sol: Solution) -> float:
    """The cost without the huge terms for broken rules, to size the annealing temperature."""
    return max(sol.cost % HARD_VIOLATION, 1.0)


_warm = False


def warm() -> None:
    """Compile the kernel (or load it from numba's cache) on a tiny day, once per process.

    ``plan_day`` and ``insert_urgent`` call this before their clocks start, so
    that compiling (about 12 s the first time after install, well under 1 s
    from the cache) never eats into a plan's time limit.
    """
    global _warm
    if _warm:
        return
    from wraparound.planning.model import Break, ProblemBuilder
    from wraparound.planning.stop import MaxIterations
    from wraparound.planning.tasks import Tasks
    from wraparound.planning.travel import EuclideanTravel

    b = ProblemBuilder(travel=EuclideanTravel(speed=1.0), name="warm-up")
    base = b.add_place(0, 0)
    for i in range(3):
        b.add_staff(f"s{i}", (0, 600), breaks=[Break(200, 300, 30)], capacity=10, max_work=500)
    for i, v in enumerate(("a", "b", "c", "d", "e")):
        b.add_visit(v, b.add_place(i, 3), 10, (0, 500), penalty=50.0 if v == "e" else None)
    b.add_visit("two", base, 10, (0, 500), staff_required=2)
    b.add_sync("a", "b", 0, 0)
    b.add_sync("c", "d", 10, 60)
    b.add_sync("d", "e", 0, 30)
    day = Day(Tasks(b.build()))
    search = Search(day, 0)
    sol = search.run(search.construct(), MaxIterations(5))
    search.cheapest_places(0, NO_BOUND, {0}, sol.ev.timing, sol.ev.bound, sol.ev.max_late, 1)
    # The path of an urgent insertion: fixed stops, floors and pinned starts.
    fixed = [min(1, len(r)) for r in sol.routes]
    pinned = {r[0] for r in sol.routes if r}
    floor = [0.0] * day.tasks.n
    urgent = Search(day, 0, fixed=fixed, locked=set(), floor=floor, pinned=pinned)
    after = urgent.evaluate([list(r) for r in sol.routes], sol.unassigned)
    urgent.repair(after, [])
    _warm = True
