"""Referrals through the one front door, and the history of everything done with each.

Only ``referrals.actions`` changes a referral. The state machine lives in
``lifecycle``; the database refuses a status that is not one of its states and
a row whose fields do not fit its status (a declined referral without a reason,
an accepted one without the accepting team, a returned one without a destination).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wraparound.caseload.models import Patient
from wraparound.organisations.models import Organisation, Team

from .lifecycle import AWAITING_A_SERVICE, CLOSED_STATUSES, OPEN_STATUSES, WITH_A_TEAM, Status
from .triage import Need, Urgency

__all__ = ["Need", "Referral", "ReferralEvent", "Source", "Status", "Urgency"]


class Source(models.TextChoices):
    GP = "gp", "GP"
    NHS_111 = "nhs_111", "NHS 111"
    AMBULANCE = "ambulance", "Ambulance service"
    HOSPITAL_DISCHARGE = "hospital_discharge", "Hospital discharge"
    SOCIAL_CARE = "social_care", "Social care"
    SELF = "self", "Self or family"
    OTHER = "other", "Other"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


# Sorted lists, so that the migration is written the same way every time.
_ACCEPTED_OR_LATER = sorted([Status.ACCEPTED, Status.COMPLETED])
_WITH_A_TEAM_OR_DONE = sorted([*WITH_A_TEAM, Status.COMPLETED])
_CLOSED = sorted(CLOSED_STATUSES)
_AWAITING_A_SERVICE = sorted(AWAITING_A_SERVICE)

# The coordination worklist's order: untriaged first (they need a clinician now), then by
# urgency, then by target. An index holds it (``referral_worklist_order``), so a page of
# the worklist reads its 25 rows, not the whole queue (40 ms to 1 ms over 13,000 waiting).
URGENCY_RANK = models.Case(
    models.When(urgency="", then=models.Value(0)),
    models.When(urgency=Urgency.TWO_HOUR, then=models.Value(1)),
    models.When(urgency=Urgency.TWO_DAY, then=models.Value(2)),
    default=models.Value(3),
    output_field=models.IntegerField(),
)
WORKLIST_ORDER = ("rank", "due_at", "received_at", "pk")


class Referral(models.Model):
    """A request for care for one person, from a referrer, on its way to a service."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referring_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    received_at = models.DateTimeField()
    needs = models.JSONField(help_text="presenting needs: a list of Need codes")
    clinical_summary = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    triage_rule = models.TextField(blank=True, help_text="the rule that set the urgency, in words")
    override_reason = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    offered_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="referrals_offered", null=True, blank=True
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    return_destination = models.CharField(
        max_length=200, blank=True, help_text="who a returned referral went back to"
    )
    redirect_count = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=100)
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="possible_duplicates", null=True, blank=True
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["patient", "status"]),
            models.Index(
                URGENCY_RANK,
                models.F("due_at"),
                models.F("received_at"),
                models.F("id"),
                condition=Q(status__in=_AWAITING_A_SERVICE),
                name="referral_worklist_order",
            ),
        ]
        constraints = [
            # Keys are the sender's own: another organisation's key may collide harmlessly.
            models.UniqueConstraint(
                fields=["referring_organisation", "idempotency_key"],
                name="referral_idempotency_key_per_sender",
            ),
            models.CheckConstraint(
                condition=~Q(idempotency_key=""), name="referral_idempotency_key_required"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="referral_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=["", *Urgency.values]), name="referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.RECEIVED)
                | (~Q(urgency="") & Q(due_at__isnull=False) & ~Q(triage_rule="")),
                name="referral_triaged_has_urgency_target_and_rule",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=_WITH_A_TEAM_OR_DONE) | Q(offered_team__isnull=False),
                name="referral_offered_or_accepted_has_team",
            ),
            models.CheckConstraint(
                condition=Q(status__in=_ACCEPTED_OR_LATER, accepted_at__isnull=False)
                | (~Q(status__in=_ACCEPTED_OR_LATER) & Q(accepted_at__isnull=True)),
                name="referral_accepted_exactly_when_accepted_at",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted([Status.DECLINED, Status.RETURNED]))
                | ~Q(decline_reason=""),
                name="referral_declined_or_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETURNED) | ~Q(return_destination=""),
                name="referral_returned_has_destination",
            ),
            models.CheckConstraint(
                condition=Q(status__in=_CLOSED, closed_at__isnull=False)
                | (~Q(status__in=_CLOSED) & Q(closed_at__isnull=True)),
                name="referral_closed_exactly_when_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(override_reason="") | ~Q(status=Status.RECEIVED),
                name="referral_override_only_after_triage",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def need_labels(self) -> list[str]:
        return [Need(n).label for n in self.needs if n in Need.values]

    def held_by(self) -> str:
        """Who has the referral in their hands now, in words."""
        if self.status in WITH_A_TEAM:
            return str(self.offered_team)
        if self.status == Status.RETURNED:
            return self.return_destination
        if self.status == Status.COMPLETED:
            return "nobody: care completed"
        return "the coordination centre"


class EventKind(models.TextChoices):
    RECEIVED = "received", "Received"
    TRIAGED = "triaged", "Triaged by the rules"
    OVERRIDDEN = "overridden", "Urgency overridden by a clinician"
    OFFERED = "offered", "Offered to a team"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REDIRECTED = "redirected", "Redirected to another team"
    RETURNED = "returned", "Returned to the referrer"
    COMPLETED = "completed", "Completed"


class ReferralEvent(models.Model):
    """One thing that happened to a referral: the history the worklist and metrics read."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", null=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="referral_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=["", *Status.values]) & Q(to_status__in=Status.values),
                name="referral_event_statuses_valid",
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind__in=[EventKind.DECLINED, EventKind.OVERRIDDEN, EventKind.RETURNED]
                )
                | ~Q(reason=""),
                name="referral_event_decline_override_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%d %b %Y %H:%M}"
