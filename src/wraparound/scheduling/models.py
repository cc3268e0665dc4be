"""Plans for a team's day: drafts the team leader shapes, and the one published to the nurses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wraparound.caseload.models import Visit
from wraparound.organisations.models import Team
from wraparound.workforce.models import StaffMember


class DayPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    class Kind(models.TextChoices):
        DAY = "day", "Plan for the day"
        URGENT = "urgent", "Urgent insertion proposal"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="day_plans")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DAY)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    engine = models.CharField(max_length=120, blank=True)
    objective = models.FloatField(default=0)
    travel_minutes = models.FloatField(default=0)
    lateness_minutes = models.FloatField(default=0)
    continuity_misses = models.PositiveIntegerField(default=0)
    explanations = models.JSONField(default=list, blank=True)
    # Visits pinned by hand: {"<visit id>": {"staff": <staff id>, "start": <minute of day>}}
    pins = models.JSONField(default=dict, blank=True)
    urgent_visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The background task that made it, when one did: a task run again after its worker died
    # finds its plan here instead of planning twice.
    task_key = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_key"], condition=~Q(task_key=""), name="one_plan_per_planning_task"
            ),
            models.UniqueConstraint(
                fields=["team", "date"],
                condition=Q(status="published"),
                name="one_published_plan_per_team_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_plan_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(kind="urgent") | Q(urgent_visit__isnull=False),
                name="urgent_proposal_names_its_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.team} on {self.date} ({self.status})"


class PlannedVisit(models.Model):
    """A visit's place in a plan: who, when, in which order; or left until tomorrow."""

    day_plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="planned_visits")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    second_staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    start_minute = models.FloatField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    late_minutes = models.FloatField(default=0)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["staff", "order"]
        constraints = [
            models.UniqueConstraint(fields=["day_plan", "visit"], name="visit_once_per_plan"),
            models.CheckConstraint(
                condition=Q(staff__isnull=True, start_minute__isnull=True)
                | Q(staff__isnull=False, start_minute__isnull=False),
                name="planned_visit_staff_and_start_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} in {self.day_plan}"

    @property
    def served(self) -> bool:
        return self.staff_id is not None

    @property
    def start_clock(self) -> str:
        if self.start_minute is None:
            return ""
        m = round(self.start_minute)
        return f"{m // 60:02d}:{m % 60:02d}"
