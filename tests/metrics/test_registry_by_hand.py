"""The continuity index and the routine median, checked against counts by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wraparound.metrics.compute import compute
from wraparound.metrics.models import ContactRecord, ReferralRecord
from wraparound.metrics.rollups import build_rollups

MONTH = dt.date(2026, 10, 1)


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


@pytest.mark.django_db
def test_a_metric_is_defined_in_one_place_its_counting_and_periods_with_its_meaning():
    """Issue 14: a metric's runner and periods lived in side tables keyed by its code. Now a
    new metric is one ``Metric``: this one is computed with no other module told of it."""
    from wraparound.metrics import counting
    from wraparound.metrics.registry import MONTH as MONTHLY
    from wraparound.metrics.registry import Metric, Shape
    from wraparound.metrics.spc import Improvement

    now = timezone.now()
    for i, urgency in enumerate(["routine", "routine", "2_hour", "routine"]):
        ReferralRecord.objects.create(
            source_id=f"r{i}", provider_code="P1", team_code="t1", place_code="x",
            patient_key=f"p{i}", age=80, deprivation_decile=5, received_at=now,
            week=MONTH, month=MONTH, source="gp", urgency=urgency, status="completed",
        )  # fmt: skip
    routine_share = Metric(
        "routine-share",
        "Routine referrals",
        "Of the referrals received, the share triaged routine.",
        "routine referrals",
        "referrals received",
        "%",
        Improvement.NEUTRAL,
        Shape.PROPORTION,
        ("referral received",),
        counting.counts(
            counting.REFERRALS, "1 = 1", "CASE WHEN urgency = 'routine' THEN 1 ELSE 0 END", "1"
        ),
        periods=MONTHLY,
    )
    (value,) = compute(routine_share, "team", "month")
    assert (value.numerator, value.denominator, value.value) == (3, 4, 75.0)
    with pytest.raises(ValueError, match="by month only"):
        compute(routine_share, "team", "week")
