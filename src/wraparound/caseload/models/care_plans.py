"""Care plans: goals, and the interventions that become the day's visits."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from wraparound.organisations.models import Team
from wraparound.workforce.models import Skill, StaffMember

from .people import Patient


class CarePlan(models.Model):
    """One team's plan for one person: what matters to them and what the team will do."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_plans")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="care_plans")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    starts_on = models.DateField()
    review_on = models.DateField()
    key_alerts = models.CharField(
        max_length=300,
        blank=True,
        help_text="What a visitor must know at the door (key safe, dog, DNACPR)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "ended"]), name="care_plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_on__gte=F("starts_on")), name="care_plan_review_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.team})"


class Goal(models.Model):
    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=300)
    target_on = models.DateField(null=True, blank=True)
    achieved = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.description


class InterventionKind(models.TextChoices):
    INSULIN = "insulin", "Insulin"
    SIMPLE_WOUND = "simple_wound", "Simple wound care"
    COMPLEX_WOUND = "complex_wound", "Complex wound care"
    CATHETER = "catheter", "Catheter care"
    IV_THERAPY = "iv_therapy", "IV therapy"
    BLOODS = "bloods", "Bloods"
    PALLIATIVE_REVIEW = "palliative_review", "Palliative review"
    THERAPY_SESSION = "therapy_session", "Therapy session"
    ASSESSMENT = "assessment", "Assessment"
    WELFARE_CHECK = "welfare_check", "Welfare check"
    REABLEMENT = "reablement", "Reablement support"
    HEALTH_VISITOR_CONTACT = "health_visitor_contact", "Health visitor contact"


class Recurrence(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKDAYS = "weekdays", "On given weekdays"
    EVERY_N_DAYS = "every_n_days", "Every N days"
    ONCE = "once", "Once, on a date"


class Intervention(models.Model):
    """Something the plan asks a visitor to do, how often, when in the day, and by whom."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=30, choices=InterventionKind.choices)
    description = models.CharField(max_length=300, blank=True)
    skills = models.ManyToManyField(Skill, related_name="+", blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    recurrence = models.CharField(max_length=20, choices=Recurrence.choices)
    # Weekdays as ISO numbers (1 = Monday ... 7 = Sunday), for WEEKDAYS.
    weekdays = models.JSONField(default=list, blank=True)
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    window_start = models.TimeField(help_text="Earliest local time the visit may start")
    window_end = models.TimeField(help_text="Latest local time the visit may start")
    double_handed = models.BooleanField(default=False)
    named_nurse = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_interventions",
    )
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")), name="intervention_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(recurrence="every_n_days") | Q(interval_days__gte=1),
                name="every_n_days_needs_an_interval",
            ),
            models.CheckConstraint(
                condition=Q(recurrence__in=[r.value for r in Recurrence]),
                name="intervention_recurrence_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.how_often.lower()})"

    @property
    def how_often(self) -> str:
        """How often, in words: "Every 3 days", "Mon, Wed and Fri", not "Every N days"."""
        if self.recurrence == Recurrence.EVERY_N_DAYS and self.interval_days:
            return "Every day" if self.interval_days == 1 else f"Every {self.interval_days} days"
        if self.recurrence == Recurrence.WEEKDAYS and self.weekdays:
            days = [_DAY_NAMES[d - 1] for d in sorted(self.weekdays) if 1 <= d <= 7]
            return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
        if self.recurrence == Recurrence.ONCE:
            return f"Once, on {self.starts_on:%-d %b %Y}"
        return str(self.get_recurrence_display())


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class TeamClosure(models.Model):
    """A day a team has marked as closed (a bank holiday it does not work): no visits are due."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="one_closure_per_team_day")
        ]

    def __str__(self) -> str:
        return f"{self.team} closed {self.date}: {self.reason}"
