"""Each metric, computed by the registry, agrees with an independent plain query or hand count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.urls import reverse

from wraparound.metrics.compute import compute
from wraparound.metrics.difficulty import persistent_difficulty
from wraparound.metrics.models import ContactRecord, ReferralRecord
from wraparound.metrics.registry import METRICS, metric

TODAY = dt.date(2026, 11, 2)
MONTH = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    from tests.factories import shared_place

    yield from shared_place(django_db_blocker, residents=10_000, today=TODAY)


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once


def test_visits_completed_as_planned_agrees_with_an_independent_query(demo):
    expected: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for team, month, outcome in ContactRecord.objects.filter(planned=True).values_list(
        "team_code", "month", "outcome"
    ):
        expected[(team, month)][0] += outcome == "completed"
        expected[(team, month)][1] += 1
    computed = {(v.unit, v.period): v for v in compute("visits-as-planned", "team", "month")}
    assert set(computed) == set(expected)
    for key, (done, due) in expected.items():
        assert computed[key].value == pytest.approx(100 * done / due)


def test_the_2_hour_standard_agrees_with_a_count_by_hand(demo):
    rows = ReferralRecord.objects.filter(urgency="2_hour", provider_code="RXD")
    by_month: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for month, minutes in rows.values_list("month", "minutes_to_first_contact"):
        by_month[month][0] += minutes is not None and minutes <= 120
        by_month[month][1] += 1
    computed = {v.period: v for v in compute("ucr-2-hour", "provider", "month") if v.unit == "RXD"}
    assert {m: (v.numerator, v.denominator) for m, v in computed.items()} == {
        m: tuple(c) for m, c in by_month.items()
    }


def test_the_demo_has_a_team_in_persistent_difficulty_with_buddies(demo):
    flags = persistent_difficulty(metric("ucr-2-hour"), "team")
    assert [f.unit for f in flags] == ["dunmore-ucr"]
    assert len(flags[0].periods_outside) >= 3
    assert flags[0].buddies, "a consistently better team of similar size and case mix"


def test_every_metric_computes_for_every_unit_kind(demo):
    for m in METRICS:
        for kind in ("team", "provider", "neighbourhood", "place"):
            compute(m, kind, "month")
    with pytest.raises(ValueError, match="by month only"):
        compute("travel-share", "team", "week")


def test_the_metric_pages_and_csv_are_for_those_who_see_metrics(client, demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    client.force_login(User.objects.get(username="analyst"))
    assert client.get(reverse("metrics:dashboard")).status_code == 200
    page = client.get(reverse("metrics:metric", args=["ucr-2-hour"])).content.decode()
    assert 'data-testid="funnel"' in page and "Dunmore Urgent Community Response" in page
    csv_text = client.get(
        reverse("metrics:metric_csv", args=["visits-as-planned"])
    ).content.decode()
    assert csv_text.splitlines()[0].startswith("metric,unit_kind,unit_code")
    client.force_login(User.objects.get(username="nurse"))
    assert client.get(reverse("metrics:dashboard")).status_code == 403
