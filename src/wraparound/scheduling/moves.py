"""What an urgent insertion moves: a read over two stored plans, for the leader to see."""

from __future__ import annotations

from typing import Any

from .models import DayPlan


def moves_between(before: DayPlan | None, after: DayPlan) -> list[dict[str, Any]]:
    """Which visits an urgent insertion moves, to whom, and by how many minutes."""
    if before is None:
        return []
    old = {p.visit_id: p for p in before.planned_visits.all()}
    moves = []
    for new in after.planned_visits.select_related("visit__patient", "staff__user"):
        was = old.get(new.visit_id)
        if was is None:
            continue
        shift = (new.start_minute or 0) - (was.start_minute or 0)
        if was.staff_id != new.staff_id or abs(shift) >= 1:
            moves.append(
                {
                    "visit": new.visit,
                    "from_staff": was.staff,
                    "to_staff": new.staff,
                    "minutes": round(shift),
                    "new_start": new.start_minute,
                }
            )
    return moves
