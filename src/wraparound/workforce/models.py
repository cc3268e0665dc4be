"""Staff of the place's organisations: who they are, what they can do, where they start."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wraparound.access.roles import Role
from wraparound.organisations.models import (
    Organisation,
    Team,
    latitude_validators,
    longitude_validators,
)


class Skill(models.Model):
    """A clinical skill a visit may need (insulin, complex wound care, IV therapy...)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profession(models.TextChoices):
    DISTRICT_NURSE = "district_nurse", "District nurse"
    COMMUNITY_NURSE = "community_nurse", "Community staff nurse"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced clinical practitioner"
    HEALTHCARE_ASSISTANT = "healthcare_assistant", "Healthcare assistant"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    REABLEMENT_WORKER = "reablement_worker", "Reablement support worker"
    PARAMEDIC = "paramedic", "Paramedic"
    GP = "gp", "General practitioner"
    CONSULTANT = "consultant", "Consultant"
    SOCIAL_WORKER = "social_worker", "Social worker"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    MANAGER = "manager", "Manager"
    ANALYST = "analyst", "Analyst"
    ADMINISTRATOR = "administrator", "Administrator"
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", "Volunteer coordinator"


class StaffMember(models.Model):
    """A person who works for an organisation of the place, linked to their sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_member"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    profession = models.CharField(max_length=40, choices=Profession.choices)
    band = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(9)],
        help_text="Agenda for Change band (2-9); blank for staff not on Agenda for Change",
    )
    skills = models.ManyToManyField(Skill, related_name="staff", blank=True)
    contracted_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=37.5,
        validators=[MinValueValidator(0), MaxValueValidator(48)],
    )
    base_latitude = models.FloatField(null=True, blank=True, validators=latitude_validators)
    base_longitude = models.FloatField(null=True, blank=True, validators=longitude_validators)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="staff_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(band__isnull=True) | models.Q(band__gte=2, band__lte=9),
                name="staff_band_in_agenda_for_change_range",
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def whole_time_equivalent(self) -> float:
        return float(self.contracted_hours) / 37.5


class Shift(models.Model):
    """When a member of staff works on a day, and when their break may be taken."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="shifts")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    break_earliest = models.TimeField(null=True, blank=True)
    break_latest = models.TimeField(null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="one_shift_per_staff_per_day"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(break_minutes=0)
                | models.Q(
                    break_earliest__isnull=False,
                    break_latest__isnull=False,
                    break_latest__gte=models.F("break_earliest"),
                ),
                name="shift_break_has_a_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.date} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"
