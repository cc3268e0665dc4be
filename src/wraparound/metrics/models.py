"""The metrics extract: CSDS-shaped records that every metric reads, for every provider.

Our own place's records are extracted from the operational tables
(``metrics.extract``); peer providers' arrive the way national benchmarking data does, as
their Community Services Data Set submissions. People and staff are pseudonymised keys:
metrics never need to know who anyone is. Each record carries its week and month so
that every metric is one portable GROUP BY.
"""

from __future__ import annotations

from django.db import models


class ReportingUnit(models.Model):
    """Something a metric is computed for: a team, a provider, a neighbourhood or the place."""

    class Kind(models.TextChoices):
        TEAM = "team", "Team"
        PROVIDER = "provider", "Provider"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
        PLACE = "place", "Place"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    provider_code = models.CharField(max_length=8, blank=True)
    is_own_place = models.BooleanField(
        default=False, help_text="ours, rather than a peer's CSDS data"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="reporting_unit_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ReferralRecord(models.Model):
    """One referral (CSDS CYP101/CYP102/CYP104), with its first contact and its redirects."""

    source_id = models.CharField(max_length=40, unique=True)
    provider_code = models.CharField(max_length=8, db_index=True)
    team_code = models.CharField(max_length=60, db_index=True)
    neighbourhood_code = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=40)
    patient_key = models.CharField(max_length=32)
    age = models.PositiveSmallIntegerField()
    deprivation_decile = models.PositiveSmallIntegerField()
    received_at = models.DateTimeField()
    week = models.DateField()
    month = models.DateField()
    source = models.CharField(max_length=20)
    urgency = models.CharField(max_length=10)
    minutes_to_first_contact = models.PositiveIntegerField(null=True, blank=True)
    days_to_first_contact = models.PositiveIntegerField(null=True, blank=True)
    declined_or_redirected = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=12)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["month", "urgency"]),
            models.Index(fields=["week", "urgency"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.source_id} to {self.team_code}"


class ContactRecord(models.Model):
    """One planned or unplanned care contact (CSDS CYP201): a home visit and what became of it."""

    source_id = models.CharField(max_length=40, unique=True)
    provider_code = models.CharField(max_length=8, db_index=True)
    team_code = models.CharField(max_length=60, db_index=True)
    neighbourhood_code = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=40)
    patient_key = models.CharField(max_length=32)
    staff_key = models.CharField(max_length=32, blank=True)
    contact_date = models.DateField()
    week = models.DateField()
    month = models.DateField()
    planned = models.BooleanField()
    outcome = models.CharField(max_length=12, help_text="completed, missed or cancelled")
    duration_minutes = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["month", "planned"]),
            models.Index(fields=["week", "planned"]),
        ]

    def __str__(self) -> str:
        return f"Contact {self.source_id} by {self.team_code}"


class TeamMonth(models.Model):
    """A team's month: its caseload and staffing, admissions among its people, planned travel."""

    provider_code = models.CharField(max_length=8)
    team_code = models.CharField(max_length=60)
    neighbourhood_code = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=40)
    month = models.DateField()
    caseload_people = models.PositiveIntegerField()
    whole_time_equivalents = models.FloatField()
    emergency_admissions = models.PositiveIntegerField()
    planned_travel_minutes = models.FloatField(null=True, blank=True)
    planned_paid_minutes = models.FloatField(null=True, blank=True)
    mean_age = models.FloatField()
    mean_deprivation_decile = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team_code", "month"], name="team_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.team_code} {self.month:%b %Y}"


class ContactRollup(models.Model):
    """Contacts counted by unit, period, planned and outcome: what the completion metric reads."""

    provider_code = models.CharField(max_length=8)
    team_code = models.CharField(max_length=60)
    neighbourhood_code = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=40)
    month = models.DateField()
    week = models.DateField()
    planned = models.BooleanField()
    outcome = models.CharField(max_length=12)
    contacts = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.team_code} {self.week}: {self.contacts} {self.outcome}"


class ContinuityRollup(models.Model):
    """One person's completed visits from one team in a period: N visits and the sum of n_j^2
    over the staff who made them, the two numbers the Bice-Boxerman index needs."""

    provider_code = models.CharField(max_length=8)
    team_code = models.CharField(max_length=60)
    neighbourhood_code = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=40)
    period_kind = models.CharField(max_length=5)  # month | week
    period = models.DateField()
    patient_key = models.CharField(max_length=32)
    visits = models.PositiveIntegerField()
    squares = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["period_kind", "period"])]

    def __str__(self) -> str:
        return f"{self.team_code} {self.period}: {self.visits} visits"


class HospitalDay(models.Model):
    """A hospital's day as the discharge sitrep counts it: beds occupied at the day's end,
    of them delayed (no longer meeting the criteria to reside), and super-stranded (21+
    days). Written by the discharge app for each day (``discharge.actions.record_hospital_days``)."""

    provider_code = models.CharField(max_length=8)
    team_code = models.CharField(max_length=60)  # the hospital itself: its wards are not teams
    neighbourhood_code = models.CharField(max_length=60, blank=True)
    place_code = models.CharField(max_length=40)
    day = models.DateField()
    week = models.DateField()
    month = models.DateField()
    occupied_bed_days = models.PositiveIntegerField()
    delayed_bed_days = models.PositiveIntegerField()
    super_stranded = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider_code", "day"], name="hospital_day_unique"),
            models.CheckConstraint(
                condition=models.Q(delayed_bed_days__lte=models.F("occupied_bed_days")),
                name="hospital_day_delayed_within_occupied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_code} {self.day}"
