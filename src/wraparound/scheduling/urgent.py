"""When a 2-hour referral is accepted: a visit within its target, fitted into the team's day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wraparound.access.actors import Actor
from wraparound.caseload.models import Visit
from wraparound.caseload.recurrence import local_moment
from wraparound.workforce.models import Shift

from .actions import check_team_leader, propose_urgent_insertion
from .models import DayPlan

URGENT_VISIT_MINUTES = 60


@transaction.atomic
def respond_to_urgent_referral(
    *, referral: Any, by: Actor, now: dt.datetime | None = None
) -> DayPlan | None:
    """Add the urgent visit for an accepted 2-hour referral and propose where it fits today.

    None when the accepting team has nobody on shift today (the coordinator then needs the
    out-of-hours route); the visit is still created so nothing is lost.
    """
    now = now or timezone.now()
    team = referral.offered_team
    check_team_leader(by, team)  # before the visit is made, not only before it is planned
    due = referral.due_at or now + dt.timedelta(hours=2)
    # A day's plan ends at midnight: a response due after it is planned by the end of today.
    end_of_day = local_moment(timezone.localdate(now), dt.time(23, 59))
    due = min(due, end_of_day)
    visit, _ = Visit.objects.get_or_create(
        patient_id=referral.patient_id,
        team=team,
        date=timezone.localdate(now),
        task=f"2-hour urgent response (referral #{referral.pk})",
        defaults={
            "window_start": now,
            "window_end": max(due, min(now + dt.timedelta(minutes=15), end_of_day)),
            "duration_minutes": URGENT_VISIT_MINUTES,
        },
    )
    if not Shift.objects.filter(staff__team=team, date=visit.date).exists():
        return None
    return propose_urgent_insertion(visit=visit, by=by, now=now)
