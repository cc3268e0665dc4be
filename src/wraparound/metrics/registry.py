"""The standard metrics, each defined once: what it means, how it is counted, over which
periods, and which way is good. Adding a metric is one entry here.

Each metric's ``count`` is one set-based query over the extract (``metrics.counting``), run
by ``metrics.compute`` for any unit (team, provider, neighbourhood, place) and for each
period the metric is counted over. Nothing here loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from . import counting
from .counting import CONTACTS, HOSPITAL_DAYS, REFERRALS, TEAM_MONTHS, Count
from .spc import Improvement

MONTH_AND_WEEK = ("month", "week")
MONTH = ("month",)


class Shape(StrEnum):
    """How numerator and denominator make the value, which decides the funnel plot."""

    PROPORTION = "proportion"  # numerator / denominator x 100, funnel on proportions
    RATE = "rate"  # numerator / denominator x multiplier, funnel on Poisson rates
    MEDIAN = "median"  # a median of a distribution; no funnel
    MEAN = "mean"  # a mean of a per-person index; no funnel
    RATIO = "ratio"  # a plain ratio (caseload per WTE); no funnel


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    improvement: Improvement
    shape: Shape
    reads: tuple[str, ...]
    count: Count
    periods: tuple[str, ...] = MONTH_AND_WEEK
    target: float | None = None
    multiplier: float = 100.0

    @property
    def has_funnel(self) -> bool:
        return self.shape in {Shape.PROPORTION, Shape.RATE}


METRICS: tuple[Metric, ...] = (
    Metric(
        "ucr-2-hour",
        "2-hour urgent response within 2 hours",
        "Of the referrals triaged to a 2-hour urgent community response, the share first seen in person within 2 hours of the referral being received.",
        "2-hour referrals first seen within 120 minutes",
        "2-hour referrals received",
        "%",
        Improvement.INCREASE,
        Shape.PROPORTION,
        ("referral received", "first care contact"),
        counting.counts(
            REFERRALS,
            "urgency = '2_hour'",
            "CASE WHEN minutes_to_first_contact <= 120 THEN 1 ELSE 0 END",
            "1",
        ),
        target=70.0,
    ),
    Metric(
        "reablement-2-day",
        "Reablement started within 2 days",
        "Of the referrals triaged to 2-day reablement, the share with a first care contact within 2 days (2,880 minutes) of being received.",
        "2-day referrals first seen within 2 days",
        "2-day referrals received",
        "%",
        Improvement.INCREASE,
        Shape.PROPORTION,
        ("referral received", "first care contact"),
        counting.counts(
            REFERRALS,
            "urgency = '2_day'",
            "CASE WHEN minutes_to_first_contact <= 2880 THEN 1 ELSE 0 END",
            "1",
        ),
    ),
    Metric(
        "routine-days-to-contact",
        "Routine referrals: days to first contact (median)",
        "For routine referrals received in the period that have had a first care contact, the median whole days from receipt to that contact.",
        "median days from referral to first contact",
        "routine referrals with a first contact",
        "days",
        Improvement.DECREASE,
        Shape.MEDIAN,
        ("referral received", "first care contact"),
        counting.median_days_to_contact,
    ),
    Metric(
        "ping-pong",
        "Referrals declined or redirected, per 100",
        "How often referrals bounce: each decline, redirect to another service or return to the referrer counts once, per 100 referrals received.",
        "declines, redirects and returns",
        "referrals received",
        "per 100 referrals",
        Improvement.DECREASE,
        Shape.RATE,
        ("referral received", "referral declined", "referral redirected"),
        counting.counts(REFERRALS, "1 = 1", "declined_or_redirected", "1"),
    ),
    Metric(
        "visits-as-planned",
        "Planned visits completed as planned",
        "Of the visits planned from care plans that fell due in the period, the share completed (not missed or cancelled).",
        "planned visits completed",
        "planned visits due",
        "%",
        Improvement.INCREASE,
        Shape.PROPORTION,
        ("care contact",),
        counting.counts(
            CONTACTS,
            "planned",
            "CASE WHEN outcome = 'completed' THEN contacts ELSE 0 END",
            "contacts",
        ),
    ),
    Metric(
        "continuity-of-carer",
        "Continuity of carer (Bice-Boxerman index)",
        "For each person with 3 or more completed visits in the period, the Bice-Boxerman continuity of care index (1 = always the same nurse, 0 = never twice the same), averaged over those people.",
        "sum over people of (sum of n_j^2 - N) / (N(N - 1))",
        "people with 3 or more visits",
        "index (0-1)",
        Improvement.INCREASE,
        Shape.MEAN,
        ("care contact",),
        counting.continuity_index,
        periods=MONTH,
    ),
    Metric(
        "travel-share",
        "Travel as % of paid time",
        "For teams that plan their day in Wraparound, planned travel minutes as a share of the paid minutes of the staff on shift.",
        "planned travel minutes",
        "paid minutes on shift",
        "%",
        Improvement.DECREASE,
        Shape.RATIO,
        ("published day plan",),
        counting.counts(
            TEAM_MONTHS,
            "planned_paid_minutes IS NOT NULL AND planned_paid_minutes > 0",
            "planned_travel_minutes",
            "planned_paid_minutes",
        ),
        periods=MONTH,
    ),
    Metric(
        "caseload-per-wte",
        "Caseload per whole-time equivalent",
        "People on the caseload at the end of the month per whole-time-equivalent clinical member of staff.",
        "people on the caseload at month end",
        "whole-time-equivalent clinical staff",
        "people per WTE",
        Improvement.NEUTRAL,
        Shape.RATIO,
        ("caseload", "staffing"),
        counting.counts(
            TEAM_MONTHS, "whole_time_equivalents > 0", "caseload_people", "whole_time_equivalents"
        ),
        periods=MONTH,
        multiplier=1.0,
    ),
    Metric(
        "emergency-admissions",
        "Emergency admissions per 1,000 caseload people",
        "Emergency hospital admissions in the month among people on the caseload, per 1,000 people on the caseload.",
        "emergency admissions of caseload people",
        "people on the caseload",
        "per 1,000",
        Improvement.DECREASE,
        Shape.RATE,
        ("emergency admission",),
        counting.counts(
            TEAM_MONTHS, "caseload_people > 0", "emergency_admissions", "caseload_people"
        ),
        periods=MONTH,
        multiplier=1000.0,
    ),
    Metric(
        "delayed-transfers",
        "Delayed transfers of care (% of occupied bed days)",
        "Of the hospital's occupied bed days, the share spent by people who no longer met the criteria to reside: delayed bed days over occupied bed days, each counted at the day's end as the discharge sitrep counts them.",
        "delayed bed days",
        "occupied bed days",
        "%",
        Improvement.DECREASE,
        Shape.PROPORTION,
        ("hospital stay", "criteria to reside review", "discharge"),
        counting.counts(
            HOSPITAL_DAYS, "occupied_bed_days > 0", "delayed_bed_days", "occupied_bed_days"
        ),
        target=3.0,  # "down to under 3%" (seeds, 003)
    ),
    Metric(
        "super-stranded",
        "Super-stranded patients per 100 occupied beds",
        "People in hospital 21 days or more at the day's end, per 100 occupied beds, over the period's days.",
        "bed days of people in hospital 21 days or more",
        "occupied bed days",
        "per 100 beds",
        Improvement.DECREASE,
        Shape.RATE,
        ("hospital stay",),
        counting.counts(
            HOSPITAL_DAYS, "occupied_bed_days > 0", "super_stranded", "occupied_bed_days"
        ),
    ),
)

BY_CODE = {m.code: m for m in METRICS}


def metric(code: str) -> Metric:
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"no metric {code!r}; known: {', '.join(BY_CODE)}") from None
