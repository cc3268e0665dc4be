"""The people cared for, their coded conditions, and which teams hold them on a caseload.

A person's record is read only through the door (``wraparound.door.policy``):
``access_patient()`` for one record and ``visible_patients(queryset, user)`` for lists.
Other code must not query ``Patient`` unfiltered for a user. These models do not know the
door (it reads them), so no import cycle runs through it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wraparound import nhs_number
from wraparound.organisations.models import (
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Team,
    latitude_validators,
    longitude_validators,
)

if TYPE_CHECKING:
    pass


def validate_nhs_number(value: str) -> None:
    try:
        nhs_number.validate(value)
    except nhs_number.InvalidNHSNumber as exc:
        raise ValidationError(str(exc), code="invalid_nhs_number") from exc


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` of someone born on ``born``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Patient(models.Model):
    """A person cared for at home; identified by a Modulus 11-checked NHS number."""

    nhs_number = models.CharField(
        "NHS number", max_length=10, unique=True, validators=[validate_nhs_number]
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8)
    # What anyone visiting needs at the door, the only part of a record a befriender sees
    # besides name and address.
    home_access = models.CharField(
        "how to get in", max_length=300, blank=True, help_text="Key safe, door, entry code"
    )
    what_to_bring = models.CharField(max_length=300, blank=True)
    latitude = models.FloatField(validators=latitude_validators)
    longitude = models.FloatField(validators=longitude_validators)
    deprivation_decile = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Index of Multiple Deprivation decile: 1 is most deprived",
    )
    # The Census 2021 Lower layer Super Output Area the person lives in (their small area),
    # whose deprivation decile the population app loads from the English Indices.
    lsoa_code = models.CharField("LSOA (2021)", max_length=9, blank=True, db_index=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="residents", null=True, blank=True
    )
    registered_practice = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registered_patients",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.GP_PRACTICE},
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deprivation_decile__gte=1, deprivation_decile__lte=10),
                name="patient_deprivation_decile_1_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values), name="patient_sex_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def clean(self) -> None:
        self.nhs_number = nhs_number.normalise(self.nhs_number)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Refuse a bad number however the row arrives (admin, command, bulk import).
        self.nhs_number = nhs_number.validate(self.nhs_number)
        super().save(*args, **kwargs)

    def age_on(self, day: dt.date) -> int:
        return age_on(self.date_of_birth, day)

    @property
    def nhs_number_formatted(self) -> str:
        return nhs_number.formatted(self.nhs_number)


class CodeSystem(models.TextChoices):
    SNOMED_CT = "http://snomed.info/sct", "SNOMED CT"
    ICD_10 = "http://hl7.org/fhir/sid/icd-10", "ICD-10"


class Condition(models.Model):
    """A coded long-term condition on a person's record."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="conditions")
    system = models.CharField(max_length=60, choices=CodeSystem.choices)
    code = models.CharField(max_length=20)
    display = models.CharField(max_length=200)
    recorded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["display"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "system", "code"], name="condition_once_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(system__in=CodeSystem.values), name="condition_system_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display} ({self.code})"


class CaseloadEntry(models.Model):
    """A person on a team's caseload, from admission until discharge."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="caseload_entries")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="caseload_entries")
    admitted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "caseload entries"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "patient"],
                condition=models.Q(discharged_on__isnull=True),
                name="one_open_caseload_entry_per_team_and_person",
            ),
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="caseload_discharge_not_before_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.team}"


class CareTeamMember(models.Model):
    """An organisation (and optionally a named person) in the team around a person."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="care_team")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="care_team_memberships"
    )
    role = models.CharField(max_length=120, help_text="e.g. GP, social worker, consultant")
    member_name = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="care_team_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role}) for {self.patient}"


class EmergencyAdmission(models.Model):
    """An emergency admission to hospital, as the hospital reported it (the event metrics count)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="emergency_admissions"
    )
    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    admitted_on = models.DateField()
    primary_diagnosis = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "hospital", "admitted_on"], name="one_admission_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Emergency admission on {self.admitted_on}"
