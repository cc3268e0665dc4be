"""Wards (virtual wards and community beds) and their stays, volunteer responders and fall
calls, and the place's hourly demand history.

A ward's census is never typed: admitting and discharging move it, in the same transaction
as the stay (``actions``), and the database refuses a census below nought or above the
places. A fall call holds its clocks in order and cannot end "left at home" without a
clinician's sign-off: both are constraints here, not only checks in the actions.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from wraparound.caseload.models import CaseloadEntry, Patient
from wraparound.directory.models import Service
from wraparound.organisations.models import (
    Neighbourhood,
    Organisation,
    latitude_validators,
    longitude_validators,
)
from wraparound.referrals.models import Referral
from wraparound.workforce.models import StaffMember

# The virtual wards framework asks for a senior review of anyone still on the ward after
# 14 days: the day count is flagged from then.
REVIEW_AFTER_DAYS = 14
# A "long lie" is an hour or more on the floor (Fleming and Brayne, BMJ 2008;337:a2390).
LONG_LIE = dt.timedelta(hours=1)


class WardKind(models.TextChoices):
    VIRTUAL_WARD = "virtual_ward", "Virtual ward (Hospital at Home)"
    COMMUNITY_BEDS = "community_beds", "Community beds"


class Ward(models.Model):
    """A virtual ward or a community bed base: its places, and how many are filled now."""

    service = models.OneToOneField(Service, on_delete=models.PROTECT, related_name="ward")
    kind = models.CharField(max_length=20, choices=WardKind.choices)
    places = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    census = models.PositiveIntegerField(default=0, help_text="Moved by admissions and discharges")
    census_changed_at = models.DateTimeField(null=True, blank=True)
    out_of_hours_cover = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who answers for the ward's patients overnight and at weekends",
    )
    turn_away_percent = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="The share of people the place accepts being unable to admit",
    )

    class Meta:
        ordering = ["service__name"]
        constraints = [
            models.CheckConstraint(condition=Q(census__gte=0), name="ward_census_not_negative"),
            models.CheckConstraint(
                condition=Q(census__lte=F("places")), name="ward_census_within_places"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="ward_has_places"),
            models.CheckConstraint(condition=Q(kind__in=WardKind.values), name="ward_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.service.name

    @property
    def occupancy(self) -> float:
        return self.census / self.places


# The pathways the framework names first (added by migration 0002); others are added as data.
FRAMEWORK_PATHWAYS = (
    ("frailty", "Frailty"),
    ("acute-respiratory-infection", "Acute respiratory infection"),
    ("heart-failure", "Heart failure"),
)


class Pathway(models.Model):
    """A virtual-ward pathway (frailty, acute respiratory infection, heart failure, ...)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    STEP_UP = "step_up", "Step-up (from the community, instead of a hospital admission)"
    STEP_DOWN = "step_down", "Step-down (from hospital, to leave it sooner)"


class Disposition(models.TextChoices):
    """Where a person went at the end of a stay (FHIR Encounter.hospitalization)."""

    HOME = "home", "Home, no further care from the ward"
    HOME_WITH_SUPPORT = "home_with_support", "Home, with community care"
    HOSPITAL = "hospital", "Admitted to hospital"
    CARE_HOME = "care_home", "Care home"
    DIED = "died", "Died"


def admitter_words(staff: StaffMember) -> str:
    """The admitting clinician's role and profession, as a stay keeps them."""
    return f"{staff.get_role_display()}, {staff.get_profession_display()}"[:120]


class WardStay(models.Model):
    """A person's stay on a ward, from admission by a clinician to discharge."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="stays")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="ward_stays")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="stays")
    reason = models.CharField(max_length=300)
    admitted_at = models.DateTimeField()
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # As the admitting clinician was at the time: a later change of job does not rewrite it.
    admitted_by_role = models.CharField(max_length=120)
    out_of_hours_cover = models.CharField(max_length=300)
    caseload_entry = models.ForeignKey(
        CaseloadEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    gp_summary = models.TextField(blank=True)
    medication_changes = models.JSONField(default=list, blank=True)
    summary_for = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ward_summaries",
        help_text="The GP practice the discharge summary went to",
    )

    class Meta:
        ordering = ["admitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "patient"],
                condition=Q(discharged_at__isnull=True),
                name="one_open_stay_per_person_per_ward",
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True, disposition="")
                | Q(discharged_at__isnull=False, discharged_by__isnull=False) & ~Q(disposition=""),
                name="ward_stay_discharge_complete",
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True) | Q(discharged_at__gte=F("admitted_at")),
                name="ward_stay_discharged_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="ward_stay_direction_valid"
            ),
        ]
        indexes = [models.Index(fields=["ward", "discharged_at"], name="ward_stay_open")]

    def __str__(self) -> str:
        return f"{self.ward}: stay {self.pk}"

    def day_count(self, today: dt.date) -> int:
        """Day 1 is the day of admission."""
        from django.utils import timezone

        admitted = timezone.localtime(self.admitted_at).date()
        last = timezone.localtime(self.discharged_at).date() if self.discharged_at else today
        return (last - admitted).days + 1

    def review_due(self, today: dt.date) -> bool:
        return self.discharged_at is None and self.day_count(today) > REVIEW_AFTER_DAYS


class Responder(models.Model):
    """A volunteer community first responder: where they are and whether they can go."""

    staff = models.OneToOneField(StaffMember, on_delete=models.PROTECT, related_name="responder")
    available = models.BooleanField(default=True)
    latitude = models.FloatField(validators=latitude_validators)
    longitude = models.FloatField(validators=longitude_validators)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["staff__user__last_name"]

    def __str__(self) -> str:
        return str(self.staff)


class FallLevel(models.IntegerChoices):
    UNINJURED = 1, "Level 1: uninjured, needs help up"
    NEEDS_ASSESSMENT = 2, "Level 2: minor injury or needs clinical assessment"


class FallDecision(models.TextChoices):
    LEAVE_AT_HOME = "leave_at_home", "Leave at home"
    REFER = "refer", "Stay at home, urgent community response to visit today"
    CONVEY = "convey", "Convey to hospital"


class FallCall(models.Model):
    """A call for a person who has fallen with no apparent serious injury, to its end."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="fall_calls")
    idempotency_key = models.CharField(max_length=100)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    taken_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fall_calls_taken"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    call_at = models.DateTimeField()
    fell_at = models.DateTimeField(null=True, blank=True, help_text="When known")
    answers = models.JSONField(default=dict)
    level = models.PositiveSmallIntegerField(choices=FallLevel.choices)
    triage_reason = models.CharField(max_length=300)

    responder = models.ForeignKey(
        Responder, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    crew = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="fall_calls"
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_note = models.CharField(max_length=300, blank=True)
    on_scene_at = models.DateTimeField(null=True, blank=True)
    off_floor_at = models.DateTimeField(null=True, blank=True)

    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=20, choices=FallDecision.choices, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    onward_referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The routine referral to falls prevention, if one was made",
    )
    urgent_referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The 2-hour referral to urgent community response, when the decision was refer",
    )

    class Meta:
        ordering = ["-call_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["taken_by_organisation", "idempotency_key"], name="fall_call_key_once"
            ),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="fall_call_level_valid"),
            models.CheckConstraint(
                condition=Q(fell_at__isnull=True) | Q(fell_at__lte=F("call_at")),
                name="fall_before_call",
            ),
            models.CheckConstraint(
                condition=Q(on_scene_at__isnull=True) | Q(on_scene_at__gte=F("call_at")),
                name="fall_on_scene_after_call",
            ),
            models.CheckConstraint(
                condition=Q(off_floor_at__isnull=True)
                | Q(on_scene_at__isnull=False, off_floor_at__gte=F("on_scene_at")),
                name="fall_off_floor_after_on_scene",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True, decision="")
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False) & ~Q(decision=""),
                name="fall_sign_off_complete",
            ),
            # No call ends, and nobody is left at home after a fall, without a clinician's
            # decision.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(decision=""),
                name="fall_closed_only_signed_off",
            ),
        ]

    def __str__(self) -> str:
        return f"Fall call {self.pk}"

    @property
    def lie_started_at(self) -> dt.datetime:
        return self.fell_at or self.call_at

    def lie_minutes(self, now: dt.datetime) -> int:
        """Minutes on the floor: until helped up, or until now while still down."""
        end = self.off_floor_at or now
        return int((end - self.lie_started_at).total_seconds() // 60)

    def long_lie(self, now: dt.datetime) -> bool:
        end = self.off_floor_at or now
        return end - self.lie_started_at >= LONG_LIE


class DemandHour(models.Model):
    """Urgent-response calls that arrived in one clock hour, for one neighbourhood.

    The history the demand profile is drawn from: a year is 8,760 rows a neighbourhood,
    where the referrals behind it are tens of thousands.
    """

    service_type = models.CharField(max_length=40)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hour_starting = models.DateTimeField()
    arrivals = models.PositiveIntegerField()

    class Meta:
        ordering = ["hour_starting"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "neighbourhood", "hour_starting"],
                name="demand_hour_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hour_starting:%Y-%m-%d %H:00} {self.arrivals}"
