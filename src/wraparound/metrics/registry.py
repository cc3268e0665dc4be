"""The standard metrics, each defined once: what it means, how it is counted, which way is good.

Every metric is computed by ``metrics.compute`` as one set-based query over the extract
(``metrics.models``), for any unit (team, provider, neighbourhood, place) and period
(week, month). Nothing here loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .spc import Improvement


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
        multiplier=1000.0,
    ),
)

BY_CODE = {m.code: m for m in METRICS}


def metric(code: str) -> Metric:
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"no metric {code!r}; known: {', '.join(BY_CODE)}") from None
