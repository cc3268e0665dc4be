"""Triage: from the presenting needs and when the referral arrived to an urgency and a target.

A pure, transparent rule set (no database). The rules are tried in order and the
first that applies decides; the result names that rule in words, so a clinician
can see why and override it with a reason.

| order | rule                  | applies when                                     | target           |
|-------|-----------------------|--------------------------------------------------|------------------|
| 1     | 2-hour crisis         | any need in the UCR 2-hour scope                 | received + 2 h   |
| 2     | 2-hour, not UCR       | breathlessness or a mental health crisis         | received + 2 h   |
| 3     | 2-day reablement      | reablement is needed (and nothing above)         | received + 2 d   |
| 4     | routine               | anything else                                    | the shortest of  |
|       |                       |                                                  | the needs' days  |

The 2-hour scope is NHS England's urgent community response list: falls with
no apparent serious injury; decompensation of frailty; reduced function,
deconditioning or mobility; palliative and end-of-life crisis; urgent
equipment; confusion or delirium; urgent catheter care; urgent diabetes
support; unpaid carer breakdown. Rule 2 keeps two urgent presentations outside that
scope from waiting as routine: the directory then offers whoever meets them (a virtual ward,
the mental health crisis team), not the community response by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import TextChoices

from wraparound.needs import Need

__all__ = ["Need", "TriageResult", "Urgency", "due_for", "routine_days", "triage"]


class Urgency(TextChoices):
    TWO_HOUR = "2_hour", "2-hour urgent community response"
    TWO_DAY = "2_day", "2-day reablement"
    ROUTINE = "routine", "Routine"


TWO_HOUR_NEEDS = frozenset(
    {
        Need.FALL,
        Need.FRAILTY_DECOMPENSATION,
        Need.REDUCED_FUNCTION,
        Need.PALLIATIVE_CRISIS,
        Need.URGENT_EQUIPMENT,
        Need.CONFUSION_DELIRIUM,
        Need.URGENT_CATHETER,
        Need.URGENT_DIABETES,
        Need.CARER_BREAKDOWN,
    }
)
URGENT_OUTSIDE_UCR_NEEDS = frozenset({Need.BREATHLESSNESS, Need.MENTAL_HEALTH_CRISIS})
TWO_DAY_NEEDS = frozenset({Need.REABLEMENT})
ROUTINE_TARGET_DAYS: dict[str, int] = {
    Need.REMOTE_MONITORING: 1,
    Need.UNABLE_TO_MANAGE: 3,
    Need.WOUND_CARE: 3,
    Need.MEDICATION_SUPPORT: 5,
    Need.CONTINENCE: 14,
    Need.LONG_TERM_CONDITION: 14,
    Need.SOCIAL_SUPPORT: 14,
    Need.LONELINESS: 14,
    Need.FALLS_PREVENTION: 28,
    Need.BRIDGING_CARE: 1,  # from the day the person leaves hospital
    Need.OTHER: 14,
}
DEFAULT_ROUTINE_DAYS = 14
TWO_HOURS = dt.timedelta(hours=2)
TWO_DAYS = dt.timedelta(days=2)


@dataclass(frozen=True)
class TriageResult:
    urgency: Urgency
    due_at: dt.datetime
    rule: str


def _labels(needs: Iterable[str]) -> str:
    return "; ".join(Need(n).label.lower() for n in sorted(needs))


def _known(needs: Iterable[str]) -> frozenset[str]:
    given = frozenset(needs)
    unknown = sorted(given - set(Need.values))
    if unknown:
        raise ValueError(f"not a presenting need: {', '.join(unknown)}")
    if not given:
        raise ValueError("at least one presenting need is required")
    return given


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the time must be timezone-aware")
    return moment


def routine_days(needs: Iterable[str]) -> int:
    """The routine target in days: the shortest of the needs' own targets."""
    days = [ROUTINE_TARGET_DAYS[n] for n in needs if n in ROUTINE_TARGET_DAYS]
    return min(days, default=DEFAULT_ROUTINE_DAYS)


def triage(needs: Iterable[str], received_at: dt.datetime) -> TriageResult:
    """The urgency, the due time and the rule that fired, for these needs received then."""
    given = _known(needs)
    start = _aware(received_at)
    crisis = given & TWO_HOUR_NEEDS
    if crisis:
        return TriageResult(
            Urgency.TWO_HOUR,
            start + TWO_HOURS,
            f"2-hour urgent community response: {_labels(crisis)} "
            "(in the UCR crisis scope: respond within 2 hours)",
        )
    urgent = given & URGENT_OUTSIDE_UCR_NEEDS
    if urgent:
        return TriageResult(
            Urgency.TWO_HOUR,
            start + TWO_HOURS,
            f"2-hour urgent response: {_labels(urgent)} (urgent, outside the UCR crisis scope: "
            "respond within 2 hours, by a service that meets it)",
        )
    if given & TWO_DAY_NEEDS:
        return TriageResult(
            Urgency.TWO_DAY,
            start + TWO_DAYS,
            "2-day reablement: reablement needed and no crisis need (respond within 2 days)",
        )
    days = routine_days(given)
    return TriageResult(
        Urgency.ROUTINE,
        start + dt.timedelta(days=days),
        f"routine: {_labels(given)} (no crisis or reablement need; "
        f"target {days} day{'' if days == 1 else 's'}, "
        "the shortest for these needs)",
    )


def due_for(urgency: str, needs: Iterable[str], start: dt.datetime) -> dt.datetime:
    """The target for an urgency chosen by a clinician, counted from ``start`` (the decision)."""
    start = _aware(start)
    if urgency == Urgency.TWO_HOUR:
        return start + TWO_HOURS
    if urgency == Urgency.TWO_DAY:
        return start + TWO_DAYS
    if urgency == Urgency.ROUTINE:
        return start + dt.timedelta(days=routine_days(needs))
    raise ValueError(f"not an urgency: {urgency}")
