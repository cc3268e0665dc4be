"""The plan for the day in the team leader's words (issue 11, item 5): what is left is
counted, a move that does not fit says so, no internal id reaches the page, and planning
today starts from now."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from wraparound.scheduling import actions
from wraparound.scheduling.wording import Names, in_words


def test_planner_ids_become_names():
    names = Names(
        staff={"s13": "Nia Hughes", "s16": "Tom Walsh"},
        visits={"1173": "Edna Jones: insulin"},
        skills={"prescribing": "prescribing"},
    )
    text = "held to s16, who does not have the skills ['prescribing']; after 1173 (ends 10:00), s13"
    assert in_words(text, names) == (
        "held to Tom Walsh, who does not have the skills prescribing; "
        "after Edna Jones: insulin (ends 10:00), Nia Hughes"
    )


def test_the_summary_counts_what_is_left_and_shows_no_internal_id(client, team_day):
    plan = actions.plan_team_day(
        team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
    )
    left = team_day["visits"][1]
    plan.planned_visits.filter(visit=left).update(staff_id=None, start_minute=None)
    client.force_login(team_day["leader"])
    page = client.get(reverse("scheduling:board"), {"date": team_day["day"].isoformat()})
    summary = re.search(r'data-testid="plan-summary">(.*?)</p>', page.content.decode(), re.S)
    words = summary.group(1)
    assert "5 of 6 visits planned" in words and "1 left until tomorrow" in words
    body = page.content.decode()
    main = body.split("<main")[1]
    assert not re.search(r"\bs\d+\b|alns|iterations", main)
    for visit in team_day["visits"]:  # "Visit 1173 late: ..." named visits by database id
        assert not re.search(rf"Visit {visit.pk} (late|unserved)", main)


def test_planning_today_after_the_shifts_have_ended_says_so_instead_of_planning_the_night(
    team_day,
):
    evening = timezone.make_aware(dt.datetime.combine(team_day["day"], dt.time(19, 17)))
    with time_machine.travel(evening, tick=False):
        try:
            actions.plan_team_day(
                team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
            )
        except Exception as exc:
            assert "for the rest of today" in str(exc)
        else:
            raise AssertionError("planned a day whose shifts are over")


def test_planning_today_at_noon_plans_from_now_and_lists_the_morning_visits_as_passed(
    team_day,
):
    noon = timezone.make_aware(dt.datetime.combine(team_day["day"], dt.time(12, 0)))
    with time_machine.travel(noon, tick=False):
        plan = actions.plan_team_day(
            team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
        )
    starts = [p.start_minute for p in plan.planned_visits.all() if p.start_minute is not None]
    assert all(start >= 12 * 60 for start in starts)
    passed = [e for e in plan.explanations if e["status"] == "window passed"]
    assert passed and all("record it as done or missed" in e["reason"] for e in passed)
