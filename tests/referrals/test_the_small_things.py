"""The smaller failures the journey test found (issue 11, "Also"): each failed as it landed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.factories import on_caseload, referral
from tests.referrals.conftest import send
from wraparound.caseload.models import CarePlan, Intervention
from wraparound.referrals.lifecycle import Status


def test_the_teams_referral_list_shows_the_time_left_to_answer(client, people, person):
    sent = send(people, person)
    client.force_login(people.users["coordinator"])
    client.post(reverse("referrals:offer", args=[sent.pk]), {"offer-team": people.ucr.pk})
    client.force_login(people.users["ucr_leader"])
    page = client.get(reverse("referrals:team")).content.decode()
    assert 'data-testid="time-left"' in page and " left" in page


def test_a_returned_referral_shows_no_time_left(client, people, person):
    returned = referral(person, sender=people.users["gp"], status=Status.RETURNED)
    on_caseload(person, people.nursing)
    client.force_login(people.users["nurse"])
    page = client.get(reverse("referrals:detail", args=[returned.pk])).content.decode()
    assert " left" not in page and "breached" not in page and "closed" in page


def test_how_often_is_said_in_words_not_as_a_placeholder(people, person):
    plan = CarePlan.objects.create(
        patient=person,
        team=people.nursing,
        title="Leg ulcer",
        starts_on=dt.date(2026, 1, 5),
        review_on=dt.date(2026, 3, 1),
    )
    common = {
        "care_plan": plan,
        "kind": "wound_care",
        "duration_minutes": 30,
        "starts_on": dt.date(2026, 1, 5),
        "window_start": dt.time(9),
        "window_end": dt.time(12),
    }
    every_three = Intervention(**common, recurrence="every_n_days", interval_days=3)
    weekly = Intervention(**common, recurrence="weekdays", weekdays=[1, 3, 5])
    assert every_three.how_often == "Every 3 days"
    assert weekly.how_often == "Mon, Wed and Fri"


def test_a_chart_of_three_points_shows_no_spc_icons():
    from wraparound.metrics.compute import Value
    from wraparound.metrics.registry import METRICS
    from wraparound.metrics.views import _spc

    series = [
        Value(unit="u", period=dt.date(2026, m, 1), numerator=1, denominator=2, value=0.5 + m / 10)
        for m in (1, 2, 3)
    ]
    chart = _spc(METRICS[0], series, "test", "Three months")
    assert chart["variation"] == "" and chart["assurance"] == ""
    assert "Too few points (3)" in chart["variation_text"]
