"""``explain``: why each visit is unserved or late, in words a coordinator can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wraparound.planning.assemble import routes_from_plan
from wraparound.planning.plan import BreakStop, Plan, VisitStop
from wraparound.planning.schedule import NO_BOUND, Day
from wraparound.planning.tasks import Tasks


@dataclass(frozen=True)
class Explanation:
    visit: str
    status: Literal["unserved", "late"]
    reason: str


def _clock(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def explain(plan: Plan) -> list[Explanation]:
    """One explanation for each unserved visit and each visit that starts after its window."""
    out = [Explanation(v, "unserved", _why_unserved(plan, v)) for v in plan.unserved]
    for r in plan.routes:
        previous: VisitStop | None = None
        had_break = False
        for s in r.stops:
            if isinstance(s, BreakStop):
                had_break = True
                continue
            if s.lateness > 1e-6:
                out.append(
                    Explanation(s.visit, "late", _why_late(plan, r.staff, s, previous, had_break))
                )
            previous, had_break = s, False
    return out


def _why_late(
    plan: Plan, staff: str, stop: VisitStop, previous: VisitStop | None, had_break: bool
) -> str:
    v = plan.problem.visit(stop.visit)
    late = f"{stop.start - v.latest:.1f}".rstrip("0").rstrip(".")
    if stop.start > stop.arrival + 1e-6 and stop.start > v.earliest + 1e-6:
        partners = [
            g.first if g.second == v.id else g.second
            for g in plan.problem.sync
            if v.id in (g.first, g.second)
        ]
        who = ", ".join(partners) or "its second member of staff"
        return f"starts {late} min late at {_clock(stop.start)}: it waits to be in step with {who}"
    after = (
        f"after {previous.visit} (ends {_clock(previous.end)})"
        if previous
        else "from the start of the shift"
    )
    rest = " and a break" if had_break else ""
    return (
        f"starts {late} min late (window closes {_clock(v.latest)}): {staff} arrives at"
        f" {_clock(stop.arrival)} {after}, with travel{rest}"
    )


def _why_unserved(plan: Plan, visit_id: str) -> str:
    problem = plan.problem
    v = problem.visit(visit_id)
    qualified = [s for s in problem.staff if v.can_be_done_by(s)]
    if not qualified and v.pinned_to is not None:
        if v.pinned_to not in {s.id for s in problem.staff}:
            return f"held to {v.pinned_to}, who is not on duty"
        return f"held to {v.pinned_to}, who does not have the skills {sorted(v.skills)}"
    if not qualified:
        return f"no member of staff has the skills {sorted(v.skills)}"
    if len(qualified) < v.staff_required:
        return (
            f"needs {v.staff_required} staff with {sorted(v.skills)}; only {len(qualified)} on duty"
        )
    on_shift = [s for s in qualified if s.shift_start <= v.latest and s.shift_end >= v.earliest]
    if problem.weights.hard_windows and len(on_shift) < v.staff_required:
        return f"no qualified member of staff is on shift between {_clock(v.earliest)} and {_clock(v.latest)}"
    for g in problem.sync:
        if v.id in (g.first, g.second):
            other = g.second if g.first == v.id else g.first
            if other in plan.unserved:
                return f"tied by a sync gap to {other}, which cannot be served either"
    day = Day(Tasks(problem))
    routes = routes_from_plan(day, plan)
    placed = {t for r in routes for t in r}
    unassigned = [j for j, job in enumerate(day.tasks.jobs) if job[0] not in placed]
    # The search (and its compiled loops) loads only when a visit is left out and needs a why.
    from wraparound.planning.search import Search

    search = Search(day, 0, granular=False)
    ev = search.evaluate(routes, unassigned).ev
    t = day.tasks.tasks_of_visit[problem.visits.index(v)][0]
    places = search.cheapest_places(t, NO_BOUND, set(), ev.timing, ev.bound, ev.max_late, 1)
    if not places:
        return "no qualified member of staff has room for it in its window without breaking a hard rule"
    if v.penalty is not None and places[0].cost >= v.penalty:
        return (
            f"fitting it in would add {places[0].cost:.0f} to the plan's cost, more than leaving it"
            f" until tomorrow ({v.penalty:.0f})"
        )
    where = f"{problem.staff[places[0].k].id} at about {_clock(places[0].start)}"
    leaving = "it must happen today" if v.penalty is None else f"leaving it costs {v.penalty:.0f}"
    # The price is local: knock-on delays to a partner on another route are not in it.
    return (
        f"its cheapest place ({where}) adds about {places[0].cost:.0f} to the plan's cost and"
        f" {leaving}; either knock-on delays to double-handed or synced visits cost more,"
        f" or the search did not reach it in time: plan again with more time"
    )
