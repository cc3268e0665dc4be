"""``plan_from_routes``: time and cost routes someone already chose (a published plan)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wraparound.planning.assemble import assemble_plan
from wraparound.planning.model import Problem, ProblemError
from wraparound.planning.plan import Plan
from wraparound.planning.schedule import Day, evaluate
from wraparound.planning.tasks import Tasks


def plan_from_routes(
    problem: Problem, routes: Mapping[str, Sequence[str]], engine: str = "given routes"
) -> Plan:
    """The plan that visits, for each staff id, the given visit ids in order.

    A double-handed visit appears in both of its staff members' routes; visits in no
    route are unserved. Unknown staff or visit ids are refused, naming them.
    """
    tk = Tasks(problem)
    day = Day(tk)
    staff_index = {s.id: k for k, s in enumerate(problem.staff)}
    visit_index = {v.id: i for i, v in enumerate(problem.visits)}
    sequences: list[list[int]] = [[] for _ in range(tk.k)]
    copies_used: dict[int, int] = {}
    for staff_id, visit_ids in routes.items():
        if staff_id not in staff_index:
            raise ProblemError(f"routes.{staff_id}", "no such member of staff")
        for vid in visit_ids:
            if vid not in visit_index:
                raise ProblemError(f"routes.{staff_id}", f"no visit {vid!r}")
            vi = visit_index[vid]
            copy = copies_used.get(vi, 0)
            if copy >= len(tk.tasks_of_visit[vi]):
                raise ProblemError(f"routes.{staff_id}", f"visit {vid!r} has too many staff")
            copies_used[vi] = copy + 1
            sequences[staff_index[staff_id]].append(tk.tasks_of_visit[vi][copy])
    placed = {t for seq in sequences for t in seq}
    unassigned_jobs = [j for j, job in enumerate(tk.jobs) if job[0] not in placed]
    ev = evaluate(day, sequences, unassigned_jobs)
    return assemble_plan(day, sequences, ev, engine)
