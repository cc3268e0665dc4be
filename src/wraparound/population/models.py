"""The population's records that the scores read, the small areas and their deprivation, and
each resident's frailty scores with what made them.

Scores are derived data: recomputed from the records (``actions.score_residents``), never
typed. Each says which deficits or ICD-10 groups made it, so a clinician can see why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from wraparound.caseload.models import EmergencyAdmission, Patient


class SmallArea(models.Model):
    """A Lower layer Super Output Area (2021) and its Index of Multiple Deprivation (2025)."""

    code = models.CharField("LSOA code (2021)", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    imd_rank = models.PositiveIntegerField(help_text="1 is the most deprived in England")
    imd_decile = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 is the most deprived 10% of small areas",
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, help_text="The file it was loaded from")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(imd_decile__gte=1, imd_decile__lte=10), name="imd_decile_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} (decile {self.imd_decile})"

    @property
    def quintile(self) -> int:
        return (self.imd_decile + 1) // 2

    @property
    def core20(self) -> bool:
        """Core20PLUS: the most deprived 20% nationally (deciles 1 and 2)."""
        return self.imd_decile <= 2


class MedicineIssue(models.Model):
    """A medicine issued to the person in primary care (for polypharmacy)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medicine_issues")
    medicine_code = models.CharField(max_length=20, help_text="dm+d code")
    medicine = models.CharField(max_length=200)
    issued_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["patient", "issued_on"], name="medicine_by_person_day")]

    def __str__(self) -> str:
        return f"{self.medicine} on {self.issued_on}"


class AdmissionDiagnosis(models.Model):
    """An ICD-10 diagnosis of an emergency admission, in its position (1 is primary)."""

    admission = models.ForeignKey(
        EmergencyAdmission, on_delete=models.CASCADE, related_name="diagnoses"
    )
    position = models.PositiveSmallIntegerField()
    icd10_code = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["admission", "position"], name="one_code_a_position")
        ]

    def __str__(self) -> str:
        return f"{self.icd10_code} ({self.position})"


class EfiBand(models.TextChoices):
    FIT = "fit", "Fit"
    MILD = "mild", "Mild frailty"
    MODERATE = "moderate", "Moderate frailty"
    SEVERE = "severe", "Severe frailty"


class HfrsBand(models.TextChoices):
    LOW = "low", "Low risk"
    INTERMEDIATE = "intermediate", "Intermediate risk"
    HIGH = "high", "High risk"


class FrailtyScore(models.Model):
    """A resident's scores on the day they were computed, with what made each."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="frailty"
    )
    scored_on = models.DateField()
    efi_count = models.PositiveSmallIntegerField(validators=[MaxValueValidator(36)])
    efi_band = models.CharField(max_length=10, choices=EfiBand.choices)
    efi_deficits = models.JSONField(help_text="The deficits present, by number (1-36)")
    hfrs_tenths = models.PositiveIntegerField(null=True, blank=True, help_text="None under 75")
    hfrs_band = models.CharField(max_length=12, choices=HfrsBand.choices, blank=True)
    hfrs_groups = models.JSONField(default=list, help_text="The ICD-10 groups that scored")
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["efi_band"], name="frailty_by_efi_band"),
            models.Index(fields=["hfrs_band"], name="frailty_by_hfrs_band"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(efi_band__in=EfiBand.values), name="efi_band_valid"),
            models.CheckConstraint(
                condition=Q(hfrs_tenths__isnull=True, hfrs_band="")
                | Q(hfrs_tenths__isnull=False, hfrs_band__in=HfrsBand.values),
                name="hfrs_band_with_its_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: eFI {self.efi_count}/36 ({self.efi_band})"

    @property
    def efi_index(self) -> str:
        return f"{self.efi_count / 36:.2f}"

    @property
    def hfrs_points(self) -> str:
        return (
            "" if self.hfrs_tenths is None else f"{self.hfrs_tenths // 10}.{self.hfrs_tenths % 10}"
        )


class Cohort(models.Model):
    """A saved, named query over the residents (``cohorts.CohortQuery`` as JSON)."""

    name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="cohorts"
    )
    definition = models.JSONField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cohort_name_once")
        ]

    def __str__(self) -> str:
        return self.name
