"""A team leader plans a day from the database, pins a visit by hand, and publishes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from wraparound.access.permissions import NoAccess
from wraparound.caseload.models import Visit
from wraparound.scheduling import actions
from wraparound.scheduling.models import DayPlan
from wraparound.scheduling.problem import build_team_day


def test_the_problem_holds_the_days_visits_and_the_staff_on_shift(team_day):
    built = build_team_day(team_day["team"], team_day["day"])
    assert len(built.problem.visits) == 6 and len(built.problem.staff) == 2
    double = built.problem.visit(str(team_day["visits"][5].pk))
    assert double.staff_required == 2
    insulin = built.problem.visit(str(team_day["visits"][0].pk))
    assert insulin.skills == frozenset({"insulin"}) and insulin.mandatory
    assert (insulin.earliest, insulin.latest) == (8 * 60, 10 * 60)
    assert all(s.breaks and s.breaks[0].duration == 30 for s in built.problem.staff)


def test_planning_serves_every_visit_with_both_staff_on_the_double_handed_one(team_day):
    plan = actions.plan_team_day(
        team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
    )
    planned = {p.visit_id: p for p in plan.planned_visits.all()}
    assert all(p.served for p in planned.values())
    double = planned[team_day["visits"][5].pk]
    assert double.second_staff_id and double.second_staff_id != double.staff_id
    assert plan.status == "draft" and plan.travel_minutes > 0


def test_pinning_a_visit_holds_it_to_the_staff_and_time_and_replans_the_rest(team_day):
    plan = actions.plan_team_day(
        team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
    )
    visit = team_day["visits"][3]
    other = next(
        n.staff_member
        for n in team_day["nurses"]
        if n.staff_member.pk != plan.planned_visits.get(visit=visit).staff_id
    )
    pinned = actions.pin_visit(
        day_plan=plan,
        visit_id=visit.pk,
        staff_id=other.pk,
        start=dt.time(11, 15),
        by=team_day["leader"],
        time_limit=1,
    )
    moved = pinned.planned_visits.get(visit=visit)
    assert moved.staff_id == other.pk and moved.start_minute == 11 * 60 + 15 and moved.pinned
    plan.refresh_from_db()
    assert plan.status == "superseded"


def test_publishing_gives_each_visit_its_nurse_and_start(team_day):
    plan = actions.plan_team_day(
        team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
    )
    actions.publish_day_plan(day_plan=plan, by=team_day["leader"])
    actions.publish_day_plan(day_plan=plan, by=team_day["leader"])  # twice changes nothing
    visits = Visit.objects.filter(date=team_day["day"])
    assert all(v.status == "assigned" and v.assigned_to_id and v.planned_start for v in visits)
    assert DayPlan.objects.filter(status="published").count() == 1


def test_only_the_teams_leader_plans(team_day, place):
    with pytest.raises(NoAccess):
        actions.plan_team_day(team=team_day["team"], day=team_day["day"], by=place.users["nurse"])


def test_a_day_with_nobody_on_shift_says_so(team_day):
    with pytest.raises(ValidationError, match="Nobody in Nursing has a shift"):
        actions.plan_team_day(
            team=team_day["team"], day=team_day["day"] + dt.timedelta(days=5), by=team_day["leader"]
        )


def test_every_team_is_planned_as_background_tasks(team_day, capsys):
    call_command("plan_day", "--date", team_day["day"].isoformat(), "--time-limit", "0.5")
    out = capsys.readouterr().out
    assert "SUCCESSFUL" in out and "Planned 1 teams" in out
    assert DayPlan.objects.filter(team=team_day["team"], status="draft").count() == 1


def test_the_board_shows_the_map_and_timeline(client, team_day):
    client.force_login(team_day["leader"])
    client.post(reverse("scheduling:make_plan"), {"date": team_day["day"].isoformat()})
    page = client.get(
        reverse("scheduling:board"), {"date": team_day["day"].isoformat()}
    ).content.decode()
    assert 'data-testid="route-map"' in page and 'data-testid="timeline"' in page
    assert '<title id="map-title">' in page


def test_a_visit_the_plan_cannot_serve_is_kept_unassigned_and_shown_never_dropped(team_day):
    """Hazard H04: a visit left out of a published plan must stay on the team's list."""
    plan = actions.plan_team_day(
        team=team_day["team"], day=team_day["day"], by=team_day["leader"], time_limit=1
    )
    left_out = team_day["visits"][2]
    plan.planned_visits.filter(visit=left_out).update(staff_id=None, start_minute=None)
    actions.publish_day_plan(day_plan=plan, by=team_day["leader"])
    left_out.refresh_from_db()
    assert left_out.status == "planned" and left_out.assigned_to_id is None
    assert Visit.objects.filter(date=team_day["day"]).count() == len(team_day["visits"])
