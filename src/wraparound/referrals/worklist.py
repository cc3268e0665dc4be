"""What the referral pages show: the coordination centre's worklist, a referrer's own
referrals, and who may look at one referral (and on what basis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from wraparound.access.roles import Permission, Section
from wraparound.caseload.models import Patient
from wraparound.door.policy import decide, has_permission, sections_for, staff_of, visible_patients

from .lifecycle import AWAITING_A_SERVICE, Status
from .models import Referral, Urgency

WORKLIST_SIZE = 200
MY_REFERRALS_SIZE = 100

# Untriaged first (they need a clinician now), then by urgency, then by target.
URGENCY_RANK = Case(
    When(urgency="", then=Value(0)),
    When(urgency=Urgency.TWO_HOUR, then=Value(1)),
    When(urgency=Urgency.TWO_DAY, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


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


def coordination_worklist(
    user: Any,
    now: dt.datetime,
    *,
    team_id: int | None = None,
    neighbourhood_id: int | None = None,
) -> list[WorklistRow]:
    """Referrals not yet accepted that ``user`` may see, most urgent first, with time left.

    Narrowed, where asked, to those offered to one team or for people of one neighbourhood.
    """
    waiting = Referral.objects.filter(
        status__in=AWAITING_A_SERVICE, patient__in=visible_patients(Patient.objects.all(), user)
    )
    if team_id is not None:
        waiting = waiting.filter(offered_team_id=team_id)
    if neighbourhood_id is not None:
        waiting = waiting.filter(patient__neighbourhood_id=neighbourhood_id)
    referrals = (
        waiting.select_related("patient", "referring_organisation", "offered_team")
        .annotate(rank=URGENCY_RANK)
        .order_by("rank", "due_at", "received_at", "pk")[:WORKLIST_SIZE]
    )
    return [WorklistRow(r, *time_left(r.due_at, now)) for r in referrals]


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
