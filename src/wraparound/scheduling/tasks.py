"""Planning every team's day at once: one background task per team (the django-tasks API).

The default backend runs each task in-process as it is enqueued; with the database backend
(``WRAPAROUND_TASK_BACKEND=database``) the tasks wait in PostgreSQL for ``wraparound worker``
processes, on this machine or others, to run them in parallel. Each task carries a key, so a
task run again after its worker died returns the plan it made the first time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from wraparound.organisations.models import Team

from . import actions


@task()
def plan_team(
    team_id: int, day: str, planner_id: int, time_limit: float, task_key: str = ""
) -> dict[str, Any]:
    """Plan one team's day as a draft; the result says how it went, for the caller to show."""
    team = Team.objects.get(pk=team_id)
    planner = get_user_model().objects.get(pk=planner_id)
    plan = actions.plan_team_day(
        team=team,
        day=dt.date.fromisoformat(day),
        by=planner,
        time_limit=time_limit,
        task_key=task_key,
    )
    return {
        "team": team.code,
        "day_plan": plan.pk,
        "objective": plan.objective,
        "unserved": plan.planned_visits.filter(staff__isnull=True).count(),
    }


def plan_every_team(
    *, day: dt.date, by_team_leader: dict[int, Any], time_limit: float = actions.DAY_TIME_LIMIT
) -> list[Any]:
    """Enqueue one planning task per team, each run as that team's leader; the task results."""
    run = uuid.uuid4().hex[:12]
    return [
        plan_team.enqueue(
            team_id, day.isoformat(), leader.pk, time_limit, f"plan-{day}-{team_id}-{run}"
        )
        for team_id, leader in sorted(by_team_leader.items())
    ]
