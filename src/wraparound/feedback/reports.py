"""What a team reads of its Friends and Family Test: the month's return, the chart, the themes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from wraparound.caseload.programmes import add_months
from wraparound.metrics.extract import month_of
from wraparound.metrics.pchart import PChart, p_chart
from wraparound.organisations.models import Team

from .fft import OTHER, POSITIVE, SAFETY, THEMES, Answer, MonthlyReturn, monthly_return
from .models import Invitation, Response, YouSaidWeDid

CHART_MONTHS = 12


def months_back(last: dt.date, count: int) -> list[dt.date]:
    """The ``count`` months up to and including ``last``'s, oldest first."""
    return [add_months(month_of(last), back) for back in range(1 - count, 1)]


@dataclass(frozen=True)
class Comment:
    answer: Answer
    reason: str
    themes: list[str]


@dataclass(frozen=True)
class TeamMonth:
    team: Team
    month: dt.date
    summary: MonthlyReturn
    chart: PChart | None
    themes: list[tuple[str, int]]
    comments: list[Comment]
    you_said_we_did: list[YouSaidWeDid]
    safety: list[Comment]  # comments that may tell of harm: read first, act on
    service_summary: MonthlyReturn  # the organisation's teams of the same service


def team_month(team: Team, month: dt.date) -> TeamMonth:
    month = month_of(month)
    this_month = list(
        Response.objects.filter(team=team, month=month)
        .order_by("answered_on", "pk")
        .values_list("rating", "reason", "themes")
    )
    shown = months_back(month, CHART_MONTHS)
    by_month: dict[dt.date, list[str]] = {m: [] for m in shown}
    for m, rating in Response.objects.filter(team=team, month__in=shown).values_list(
        "month", "rating"
    ):
        by_month[m].append(rating)
    chart = p_chart(
        [
            (f"{m:%b %Y}", len(ratings), sum(1 for r in ratings if Answer(r) in POSITIVE))
            for m, ratings in by_month.items()
        ]
    )
    counted = Counter(theme for _, _, themes in this_month for theme in themes)
    order = [*THEMES, OTHER]
    same_service = Response.objects.filter(
        team__organisation_id=team.organisation_id,
        team__service_kind=team.service_kind,
        month=month,
    ).values_list("rating", flat=True)
    return TeamMonth(
        team=team,
        month=month,
        summary=monthly_return(Answer(r) for r, _, _ in this_month),
        chart=chart,
        themes=[(t, counted[t]) for t in order if counted[t]],
        comments=[Comment(Answer(r), text, themes) for r, text, themes in this_month if text],
        safety=[Comment(Answer(r), t, th) for r, t, th in this_month if SAFETY in th],
        you_said_we_did=list(YouSaidWeDid.objects.filter(team=team)[:10]),
        service_summary=monthly_return(Answer(r) for r in same_service),
    )


def return_counts(organisation_id: int, month: dt.date) -> list[tuple[Team, dict[str, int]]]:
    """Each team of the organisation that visits people, with its answers' counts."""
    teams = list(
        Team.objects.filter(organisation_id=organisation_id)
        .select_related("organisation")
        .order_by("name")
    )
    counted: dict[int, dict[str, int]] = {t.pk: {} for t in teams}
    for team_id, rating, n in (
        Response.objects.filter(team__organisation_id=organisation_id, month=month)
        .values_list("team_id", "rating")
        .annotate(n=Count("pk"))
    ):
        counted[team_id][rating] = n
    # A team that asks for feedback is in the return even in a month nobody answered.
    asking = set(
        Invitation.objects.filter(team__organisation_id=organisation_id)
        .values_list("team_id", flat=True)
        .distinct()
    )
    return [(t, counted[t.pk]) for t in teams if counted[t.pk] or t.pk in asking]
