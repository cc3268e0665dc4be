"""Visits: planned from care plans (or added), assigned, done, missed or cancelled."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from wraparound.organisations.models import Team
from wraparound.workforce.models import StaffMember

from .care_plans import Intervention
from .people import Patient


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ASSIGNED = "assigned", "Assigned"
    EN_ROUTE = "en_route", "En route"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class MissedReason(models.TextChoices):
    """Why a visit could not be done, coded so that missed visits can be counted and acted on."""

    NO_ANSWER = "no_answer", "No answer at the door"
    NOT_AT_HOME = "not_at_home", "Person not at home"
    IN_HOSPITAL = "in_hospital", "Person in hospital"
    DECLINED = "declined", "Person declined the visit"
    CANCELLED_BY_FAMILY = "cancelled_by_family", "Visit cancelled by family"
    UNSAFE = "unsafe", "Unsafe to visit"
    NO_TIME = "no_time", "Ran out of time: to be rebooked"
    OTHER = "other", "Other (say why in the notes)"


# The visit lifecycle: each status and the statuses it may move to.
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.PLANNED: frozenset(
        {VisitStatus.ASSIGNED, VisitStatus.CANCELLED, VisitStatus.MISSED}
    ),
    VisitStatus.ASSIGNED: frozenset(
        {
            VisitStatus.PLANNED,
            VisitStatus.EN_ROUTE,
            VisitStatus.ARRIVED,
            VisitStatus.COMPLETED,
            VisitStatus.MISSED,
            VisitStatus.CANCELLED,
        }
    ),
    VisitStatus.EN_ROUTE: frozenset(
        {VisitStatus.ARRIVED, VisitStatus.COMPLETED, VisitStatus.MISSED}
    ),
    VisitStatus.ARRIVED: frozenset({VisitStatus.COMPLETED, VisitStatus.MISSED}),
    VisitStatus.COMPLETED: frozenset(),
    VisitStatus.MISSED: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}
FINISHED = frozenset({VisitStatus.COMPLETED, VisitStatus.MISSED, VisitStatus.CANCELLED})


class Visit(models.Model):
    """One home visit to a person by a team, on a day, within a window."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text="Blank for an unexpected extra visit",
    )
    # For a contact of a programme (e.g. "Healthy Child Programme: New birth visit"): once per person.
    programme_contact = models.CharField(max_length=120, blank=True)
    task = models.CharField(max_length=300)
    date = models.DateField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    double_handed = models.BooleanField(default=False)
    planned_start = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    second_staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="second_visits"
    )
    status = models.CharField(
        max_length=12, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    missed_reason = models.CharField(max_length=30, blank=True, choices=MissedReason.choices)
    outcome_notes = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "planned_start", "window_start"]
        indexes = [
            models.Index(fields=["team", "date"]),
            models.Index(fields=["assigned_to", "date"]),
        ]
        constraints = [
            # A plan's intervention makes at most one visit a day, however often it is expanded.
            models.UniqueConstraint(
                fields=["intervention", "date"],
                condition=Q(intervention__isnull=False),
                name="one_visit_per_intervention_per_day",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")), name="visit_window_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="missed") | Q(missed_reason__in=MissedReason.values),
                name="missed_visit_has_a_coded_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="missed") | Q(missed_reason=""),
                name="only_a_missed_visit_has_a_missed_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "en_route", "arrived"])
                | Q(assigned_to__isnull=False),
                name="assigned_visit_has_a_visitor",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "missed"]) | Q(finished_at__isnull=False),
                name="finished_visit_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} for {self.patient} on {self.date}"


class OutcomeCorrection(models.Model):
    """Its author's correction of a recorded outcome, with the reason; the record keeps both."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="corrections")
    corrected_at = models.DateTimeField()
    by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=VisitStatus.choices)
    to_status = models.CharField(max_length=20, choices=VisitStatus.choices)
    from_missed_reason = models.CharField(max_length=30, blank=True)
    to_missed_reason = models.CharField(max_length=30, blank=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["corrected_at"]

    def __str__(self) -> str:
        return f"{self.visit}: {self.from_status} to {self.to_status}"
