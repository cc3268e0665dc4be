"""The services each provider offers, who they are for, when they are open, capacity now, and gaps.

A service belongs to its provider (an organisation) and is run by one of its teams. Only the
provider changes it, through ``wraparound.directory.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wraparound.caseload.models import Sex
from wraparound.needs import Need
from wraparound.organisations.models import (
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Team,
    latitude_validators,
    longitude_validators,
)


class ServiceType(models.TextChoices):
    URGENT_COMMUNITY_RESPONSE = "urgent_community_response", "Urgent community response"
    COMMUNITY_NURSING = "community_nursing", "Community nursing"
    REABLEMENT = "reablement", "Reablement"
    REHABILITATION_BEDS = "rehabilitation_beds", "Rehabilitation beds"
    VIRTUAL_WARD = "virtual_ward", "Virtual ward"
    THERAPY = "therapy", "Therapy"
    FALLS = "falls", "Falls service"
    PALLIATIVE_CARE = "palliative_care", "Palliative care"
    SOCIAL_CARE_ASSESSMENT = "social_care_assessment", "Social care assessment"
    VOLUNTARY_BEFRIENDING = "voluntary_befriending", "Voluntary befriending"
    CARERS_SUPPORT = "carers_support", "Carers' support"
    MENTAL_HEALTH_CRISIS = "mental_health_crisis", "Mental health crisis"
    SAME_DAY_EMERGENCY_CARE = "same_day_emergency_care", "Same day emergency care"
    PHARMACY = "pharmacy", "Pharmacy"
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    # Short-term care at home from the day someone leaves hospital until their package starts.
    BRIDGING_CARE = "bridging_care", "Bridging care"


# The national DoS service type each of ours is recorded as (ids from dos_service_types.csv).
DOS_SERVICE_TYPE: dict[str, int] = {
    ServiceType.URGENT_COMMUNITY_RESPONSE: 146,
    ServiceType.COMMUNITY_NURSING: 38,
    ServiceType.REABLEMENT: 27,  # Intermediate Care
    ServiceType.REHABILITATION_BEDS: 28,  # Community Hospital
    ServiceType.VIRTUAL_WARD: 155,
    ServiceType.THERAPY: 4,
    ServiceType.FALLS: 20,  # Community Based
    ServiceType.PALLIATIVE_CARE: 50,
    ServiceType.SOCIAL_CARE_ASSESSMENT: 8,
    ServiceType.VOLUNTARY_BEFRIENDING: 11,
    ServiceType.CARERS_SUPPORT: 11,
    ServiceType.MENTAL_HEALTH_CRISIS: 142,
    ServiceType.SAME_DAY_EMERGENCY_CARE: 140,
    ServiceType.PHARMACY: 13,
    ServiceType.EMERGENCY_DEPARTMENT: 105,
    ServiceType.BRIDGING_CARE: 27,  # Intermediate Care
}


class Urgency(models.TextChoices):
    TWO_HOUR = "2-hour", "2-hour"
    TWO_DAY = "2-day", "2-day"
    ROUTINE = "routine", "Routine"


class Capacity(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


BANK_HOLIDAYS = 7  # the "day" of opening sessions that apply on bank holidays


class Service(models.Model):
    """A service a provider offers, with who it is for, when it opens and its capacity now."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="directory_services"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="directory_services")
    name = models.CharField(max_length=200)
    service_type = models.CharField(max_length=40, choices=ServiceType.choices)
    dos_service_type_id = models.IntegerField("DoS service type id")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    is_fallback = models.BooleanField(
        default=False, help_text="Offered when nothing else fits (an emergency department)"
    )
    bookable = models.BooleanField(default=True, help_text="Otherwise signpost-only")

    # Eligibility
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(
        max_length=10, blank=True, choices=Sex.choices, help_text="Blank: any sex"
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        related_name="directory_services",
        blank=True,
        help_text="Neighbourhoods covered; none listed and no practices listed: no area limit",
    )
    practices = models.ManyToManyField(
        Organisation,
        related_name="covered_by_services",
        blank=True,
        limit_choices_to={"kind": OrganisationKind.GP_PRACTICE},
        help_text="GP practices whose patients are covered (wherever they live)",
    )
    consent_required = models.BooleanField(default=False)

    # Response levels offered
    offers_two_hour = models.BooleanField(default=False)
    offers_two_day = models.BooleanField(default=False)
    routine_within_days = models.PositiveSmallIntegerField(null=True, blank=True)

    open_24_7 = models.BooleanField(default=False)

    # Where it works from (the team's base), for distance
    latitude = models.FloatField(validators=latitude_validators)
    longitude = models.FloatField(validators=longitude_validators)

    # Capacity now, set by the service
    capacity = models.CharField(max_length=5, choices=Capacity.choices, default=Capacity.GREEN)
    free_slots = models.PositiveIntegerField(
        null=True, blank=True, help_text="Free slots (or beds) now"
    )
    capacity_set_at = models.DateTimeField(null=True, blank=True)
    capacity_stale_after_minutes = models.PositiveIntegerField(
        default=240, validators=[MinValueValidator(5), MaxValueValidator(60 * 24 * 7)]
    )
    next_start = models.DateField(
        null=True,
        blank=True,
        help_text="The first day it can start someone new, said with the capacity; blank: now",
    )
    capacity_is_live = models.BooleanField(
        default=False,
        help_text="Read from a census or a rota (the capacity app), never typed",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="service_location")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_type__in=ServiceType.values),
                name="service_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__in=Capacity.values), name="service_capacity_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceNeed(models.Model):
    """A need a service meets."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=40, choices=Need.choices)

    class Meta:
        constraints = [
            # need first: the search finds services by need
            models.UniqueConstraint(fields=["need", "service"], name="service_need_once"),
            models.CheckConstraint(
                condition=models.Q(need__in=Need.values), name="service_need_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_need_display()


class OpeningSession(models.Model):
    """A weekly session: open on ``day`` (0 Monday .. 6 Sunday, 7 bank holidays) between times.

    ``closes`` at or before ``opens`` runs past midnight (00:00 is midnight).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="sessions")
    day = models.PositiveSmallIntegerField(validators=[MaxValueValidator(BANK_HOLIDAYS)])
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["day", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day__gte=0, day__lte=BANK_HOLIDAYS),
                name="opening_session_day_valid",
            )
        ]

    def __str__(self) -> str:
        return f"day {self.day} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningDate(models.Model):
    """Hours on one date, replacing the weekly pattern; no times means closed that day."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField()
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True, closes__isnull=True)
                | models.Q(opens__isnull=False, closes__isnull=False),
                name="opening_date_times_paired",
            )
        ]

    def __str__(self) -> str:
        if self.opens is None or self.closes is None:
            return f"{self.date}: closed"
        return f"{self.date}: {self.opens:%H:%M}-{self.closes:%H:%M}"


class ConditionRule(models.Model):
    """A coded condition (SNOMED CT) a service takes only people with, or never takes."""

    class Kind(models.TextChoices):
        INCLUDE = "include", "Only people with"
        EXCLUDE = "exclude", "Not people with"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="condition_rules")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    code = models.CharField(max_length=20)
    display = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="condition_rule_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["include", "exclude"]),
                name="condition_rule_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display} ({self.code})"


class Gap(models.Model):
    """A service that failed exactly one rule for a search: evidence for commissioners.

    Holds no one's identity: the neighbourhood and an age band only.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="gaps")
    rule = models.CharField(max_length=40)
    reason = models.CharField(max_length=300)
    needs = models.JSONField(default=list)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    searched_at = models.DateTimeField()
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    age_band = models.CharField(max_length=10, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-searched_at"]

    def __str__(self) -> str:
        return f"{self.service}: {self.reason}"
