"""What the referral pages show: the coordination centre's worklist, a referrer's own
referrals, and who may look at one referral (and on what basis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from wraparound.access.roles import Permission, Relationship, Section
from wraparound.caseload.models import Patient
from wraparound.door.policy import (
    decide,
    has_permission,
    sections_for,
    sees_by,
    staff_of,
    visible_patients,
)

from .lifecycle import AWAITING_A_SERVICE, Status
from .models import URGENCY_RANK, WORKLIST_ORDER, Referral

# A page holds what a coordinator acts on before the queue changes (the most urgent 25); the
# caption counts them all.
WORKLIST_PAGE = 25
WORKLIST_SIZE = 200
MY_REFERRALS_SIZE = 100


@dataclass(frozen=True)
class WorklistRow:
    referral: Referral
    time_left: str
    breached: bool


def _span(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def time_left(due_at: dt.datetime | None, now: dt.datetime) -> tuple[str, bool]:
    """Time to the target in words, and whether it has been breached."""
    if due_at is None:
        return "not yet triaged", False
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        return f"breached by {_span(int(-seconds) // 60)}", True
    return f"{_span(int(seconds) // 60)} left", False


@dataclass(frozen=True)
class WorklistPage:
    rows: list[WorklistRow]
    page: Page[Referral]


def _waiting_for(user: Any) -> QuerySet[Referral]:
    waiting = Referral.objects.filter(status__in=AWAITING_A_SERVICE)
    if sees_by(user, Relationship.REFERRAL_TO_TRIAGE):
        # That ground (grounds.py) is "a referral of theirs waits for a service", which the
        # status filter already says of every row: the per-person filter would add nothing
        # but a join over every person with a referral (90 ms over 13,000 waiting).
        return waiting
    return waiting.filter(patient__in=visible_patients(Patient.objects.all(), user))


def coordination_worklist(
    user: Any,
    now: dt.datetime,
    *,
    team_id: int | None = None,
    neighbourhood_id: int | None = None,
    page: int | str = 1,
) -> WorklistPage:
    """Referrals not yet accepted that ``user`` may see, most urgent first, with time left,
    one page at a time.

    Narrowed, where asked, to those offered to one team or for people of one neighbourhood.
    """
    waiting = _waiting_for(user)
    if team_id is not None:
        waiting = waiting.filter(offered_team_id=team_id)
    if neighbourhood_id is not None:
        waiting = waiting.filter(patient__neighbourhood_id=neighbourhood_id)
    referrals = (
        waiting.select_related("patient", "referring_organisation", "offered_team")
        .annotate(rank=URGENCY_RANK)
        .order_by(*WORKLIST_ORDER)
    )
    shown = Paginator(referrals, WORKLIST_PAGE).get_page(page)
    return WorklistPage([WorklistRow(r, *time_left(r.due_at, now)) for r in shown], shown)


@dataclass(frozen=True)
class SentReferral:
    """One of a referrer's own referrals: its progress, and the person only if they may see them."""

    referral: Referral
    sees_person: bool

    @property
    def person(self) -> str:
        """The person as the referrer may see them: by name, or masked to a hint they recognise."""
        patient = self.referral.patient
        if self.sees_person:
            return f"{patient.given_name} {patient.family_name}"
        return masked_person(patient)


def masked_person(patient: Patient) -> str:
    """Initials and the NHS number's last three digits: enough to tell your referrals apart."""
    initials = f"{patient.given_name[:1]}. {patient.family_name[:1]}."
    return f"{initials} (NHS number ending {patient.nhs_number[-3:]})"


def sent_by(user: Any) -> list[SentReferral]:
    """The user's own referrals, newest first; names only of people they may see."""
    referrals = list(
        Referral.objects.filter(referrer=user)
        .select_related("patient", "offered_team")
        .order_by("-received_at", "-pk")[:MY_REFERRALS_SIZE]
    )
    visible = set(
        visible_patients(Patient.objects.all(), user)
        .filter(pk__in={r.patient_id for r in referrals})
        .values_list("pk", flat=True)
    )
    sees = Section.REFERRALS in sections_for(user)
    return [SentReferral(r, sees and r.patient_id in visible) for r in referrals]


def offered_to(user: Any) -> list[Referral]:
    """Referrals waiting for an answer from the user's team, through the access policy."""
    staff = staff_of(user)
    if staff is None or staff.team_id is None:
        return []
    if not has_permission(user, Permission.ACCEPT_REFERRALS):
        return []
    waiting = Referral.objects.filter(
        status=Status.OFFERED,
        offered_team_id=staff.team_id,
        patient__in=visible_patients(Patient.objects.all(), user),
    ).select_related("patient", "offered_team")
    return list(
        waiting.annotate(rank=URGENCY_RANK).order_by("rank", "due_at", "pk")[:WORKLIST_SIZE]
    )


class View(StrEnum):
    """How much of one referral a user sees."""

    FULL = "full"  # the referral with the person: through the access policy
    PROGRESS = "progress"  # its sender following it: status, urgency, holder; not the person


@dataclass(frozen=True)
class ReferralView:
    view: View
    basis: str


def view_of(user: Any, referral: Referral) -> ReferralView | None:
    """What ``user`` may see of this referral, and on what basis; None when nothing.

    The same rule as every view of a person: the whole referral only to someone the access
    policy lets see the person (and whose role sees referrals); its sender sees its progress.
    """
    if staff_of(user) is None:
        return None
    if Section.REFERRALS in sections_for(user):
        decision = decide(user, referral.patient)
        if decision.allowed:
            return ReferralView(View.FULL, decision.basis)
    if referral.referrer_id == user.pk and has_permission(user, Permission.VIEW_OWN_REFERRALS):
        return ReferralView(View.PROGRESS, "referrer following their referral")
    return None
