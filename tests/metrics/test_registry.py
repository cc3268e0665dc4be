"""Each metric, computed by the registry, agrees with an independent plain query or hand count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from wraparound.demo.place import build_place
from wraparound.metrics.compute import compute
from wraparound.metrics.difficulty import persistent_difficulty
from wraparound.metrics.models import ContactRecord, ReferralRecord
from wraparound.metrics.registry import METRICS, metric
from wraparound.metrics.rollups import build_rollups

TODAY = dt.date(2026, 11, 2)
MONTH = dt.date(2026, 10, 1)


@pytest.fixture
def demo(db):
    return build_place(seed=1, residents_count=10_000, today=TODAY)


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


def _contact(i, patient, staff, outcome="completed", team="t1"):
    ContactRecord.objects.create(
        source_id=f"c{i}",
        provider_code="P1",
        team_code=team,
        place_code="x",
        patient_key=patient,
        staff_key=staff,
        contact_date=MONTH,
        week=MONTH,
        month=MONTH,
        planned=True,
        outcome=outcome,
        duration_minutes=30,
    )


@pytest.mark.django_db
def test_continuity_is_the_bice_boxerman_index_averaged_over_people_with_3_or_more_visits():
    for i, staff in enumerate(["A", "A", "A", "B"]):  # N=4, sum n^2 = 10: (10-4)/(4*3) = 0.5
        _contact(i, "p1", staff)
    for i, staff in enumerate(["A", "B", "C"]):  # N=3, sum n^2 = 3: (3-3)/(3*2) = 0
        _contact(10 + i, "p2", staff)
    _contact(20, "p3", "A")  # fewer than 3 visits: left out
    _contact(21, "p3", "A")
    _contact(22, "p1", "A", outcome="missed")  # only completed visits count
    build_rollups()
    (value,) = compute("continuity-of-carer", "team", "month")
    assert value.denominator == 2 and value.value == pytest.approx(0.25)


@pytest.mark.django_db
def test_the_routine_median_is_the_middle_of_the_days_to_first_contact():
    now = timezone.now()
    for i, days in enumerate([1, 3, 3, 8, 20, 2]):  # sorted 1 2 3 3 8 20: median 3
        ReferralRecord.objects.create(
            source_id=f"r{i}",
            provider_code="P1",
            team_code="t1",
            place_code="x",
            patient_key=f"p{i}",
            age=80,
            deprivation_decile=5,
            received_at=now,
            week=MONTH,
            month=MONTH,
            source="gp",
            urgency="routine",
            minutes_to_first_contact=days * 1440,
            days_to_first_contact=days,
            status="completed",
        )
    (value,) = compute("routine-days-to-contact", "team", "month")
    assert value.value == 3 and value.denominator == 6


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
