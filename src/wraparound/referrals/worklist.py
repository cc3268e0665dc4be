"""What the referral pages show: the coordination centre's worklist, a referrer's own
referrals, and who may look at one referral (and on what basis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from wraparound.access.policy import has_permission, staff_of
from wraparound.access.roles import Permission

from .lifecycle import AWAITING_A_SERVICE, WITH_A_TEAM, Status
from .models import Referral, Urgency

WORKLIST_SIZE = 200
MY_REFERRALS_SIZE = 100

# Untriaged first (they need a clinician now), then by urgency, then by target.
URGENCY_RANK = Case(
    When(urgency="", then=Value(0)),
    When(urgency=Urgency.TWO_HOUR, then=Value(1)),
    When(urgency=Urgency.TWO_DAY, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class WorklistRow:
    referral: Referral
    time_left: str
    breached: bool


def _span(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def time_left(due_at: dt.datetime | None, now: dt.datetime) -> tuple[str, bool]:
    """Time to the target in words, and whether it has been breached."""
    if due_at is None:
        return "not yet triaged", False
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        return f"breached by {_span(int(-seconds) // 60)}", True
    return f"{_span(int(seconds) // 60)} left", False


def coordination_worklist(
    now: dt.datetime, *, team_id: int | None = None, neighbourhood_id: int | None = None
) -> list[WorklistRow]:
    """Referrals not yet accepted, most urgent first, with the time left to each target.

    Narrowed, where asked, to those offered to one team or for people of one neighbourhood.
    """
    waiting = Referral.objects.filter(status__in=AWAITING_A_SERVICE)
    if team_id is not None:
        waiting = waiting.filter(offered_team_id=team_id)
    if neighbourhood_id is not None:
        waiting = waiting.filter(patient__neighbourhood_id=neighbourhood_id)
    referrals = (
        waiting.select_related("patient", "referring_organisation", "offered_team")
        .annotate(rank=URGENCY_RANK)
        .order_by("rank", "due_at", "received_at", "pk")[:WORKLIST_SIZE]
    )
    return [WorklistRow(r, *time_left(r.due_at, now)) for r in referrals]


def sent_by(user: Any) -> list[Referral]:
    return list(
        Referral.objects.filter(referrer=user)
        .select_related("patient", "offered_team")
        .order_by("-received_at", "-pk")[:MY_REFERRALS_SIZE]
    )


def offered_to(user: Any) -> list[Referral]:
    """Referrals waiting for an answer from the user's team (a service manager: the organisation's)."""
    staff = staff_of(user)
    if staff is None:
        return []
    waiting = Referral.objects.filter(status=Status.OFFERED).select_related(
        "patient", "offered_team"
    )
    if staff.role == "service_manager":
        waiting = waiting.filter(offered_team__organisation_id=staff.organisation_id)
    elif staff.team_id is not None:
        waiting = waiting.filter(offered_team_id=staff.team_id)
    else:
        return []
    return list(
        waiting.annotate(rank=URGENCY_RANK).order_by("rank", "due_at", "pk")[:WORKLIST_SIZE]
    )


def basis_for_viewing(user: Any, referral: Referral) -> str | None:
    """Why ``user`` may open this referral, in words; None when they may not."""
    staff = staff_of(user)
    if staff is None:
        return None
    if has_permission(user, Permission.TRIAGE_REFERRALS):
        return "coordination centre"
    if referral.referrer_id == staff.user_id and has_permission(
        user, Permission.VIEW_OWN_REFERRALS
    ):
        return "referrer"
    team = referral.offered_team
    if (
        team is not None
        and referral.status in WITH_A_TEAM
        and has_permission(user, Permission.ACCEPT_REFERRALS, team=team)
    ):
        return "team offered the referral"
    return None
