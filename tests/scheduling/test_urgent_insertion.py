"""A 2-hour visit fitted into a running day: started and finished visits never move."""

from __future__ import annotations

import datetime as dt

from tests.factories import PatientFactory, on_caseload
from wraparound.caseload.models import Visit
from wraparound.caseload.recurrence import window_on
from wraparound.scheduling import actions
from wraparound.scheduling.moves import moves_between
from wraparound.scheduling.problem import moment_at


def _urgent_visit(place, day):
    """A 2-hour response for someone on the nursing caseload, due between 11:00 and 13:00."""
    person = PatientFactory(given_name="Urgent", latitude=52.505, longitude=-2.005)
    on_caseload(person, place.nursing)
    start, end = window_on(day, dt.time(11, 0), dt.time(13, 0))
    return Visit.objects.create(
        patient=person,
        team=place.nursing,
        task="2-hour response: fall",
        date=day,
        window_start=start,
        window_end=end,
        duration_minutes=45,
    )


def test_an_urgent_visit_is_proposed_without_moving_what_has_started(team_day, place):
    day, leader = team_day["day"], team_day["leader"]
    published = actions.plan_team_day(team=team_day["team"], day=day, by=leader, time_limit=1)
    actions.publish_day_plan(day_plan=published, by=leader)
    now = moment_at(day, 11 * 60)
    started = {
        p.visit_id: (p.staff_id, p.start_minute)
        for p in published.planned_visits.all()
        if p.start_minute is not None and p.start_minute <= 11 * 60
    }
    assert started, "the fixture day should have visits before 11:00"
    for visit_id in started:
        Visit.objects.filter(pk=visit_id).update(status="completed", finished_at=now)

    urgent = _urgent_visit(place, day)
    proposal = actions.propose_urgent_insertion(visit=urgent, by=leader, now=now)
    placed = proposal.planned_visits.get(visit=urgent)
    assert placed.served and 11 * 60 <= placed.start_minute <= 13 * 60
    after = {p.visit_id: (p.staff_id, p.start_minute) for p in proposal.planned_visits.all()}
    for visit_id, where in started.items():
        assert after[visit_id] == where
    moves = moves_between(published, proposal)
    assert all(m["visit"].pk not in started for m in moves)


def test_the_board_shows_the_published_plan_after_an_urgent_insertion_is_published(
    team_day, place, client
):
    """Issue 11: "the published plan is hidden after publishing". Publishing an urgent
    insertion superseded the day plan, and the board, which looked only for day plans,
    showed no plan at all while the nurses were working to the new one."""
    from django.urls import reverse

    day, leader = team_day["day"], team_day["leader"]
    first = actions.plan_team_day(team=team_day["team"], day=day, by=leader, time_limit=1)
    actions.publish_day_plan(day_plan=first, by=leader)
    urgent = _urgent_visit(place, day)
    proposal = actions.propose_urgent_insertion(
        visit=urgent, by=leader, now=moment_at(day, 10 * 60)
    )
    actions.publish_day_plan(day_plan=proposal, by=leader)

    client.force_login(leader)
    page = client.get(reverse("scheduling:board"), {"date": day.isoformat()})
    assert page.context["plan"] == proposal
    body = page.content.decode()
    assert 'data-testid="published"' in body and "Urgent insertion proposal published" in body


def test_planning_again_after_publishing_shows_the_draft_and_keeps_the_published_one_reachable(
    team_day, client
):
    from django.urls import reverse

    day, leader = team_day["day"], team_day["leader"]
    first = actions.plan_team_day(team=team_day["team"], day=day, by=leader, time_limit=1)
    actions.publish_day_plan(day_plan=first, by=leader)
    again = actions.plan_team_day(team=team_day["team"], day=day, by=leader, time_limit=1)

    client.force_login(leader)
    board = reverse("scheduling:board")
    page = client.get(board, {"date": day.isoformat()})
    assert page.context["plan"] == again and "see the published plan" in page.content.decode()
    page = client.get(board, {"date": day.isoformat(), "show": "published"})
    assert page.context["plan"] == first and "See the newer draft" in page.content.decode()
