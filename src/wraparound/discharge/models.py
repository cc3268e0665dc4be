"""A person's stay in a hospital bed, from admission to leaving, with the daily reviews of
whether they still meet the criteria to reside and the delay while they wait to go.

The database keeps the rules a ward could otherwise break by hand: a person ready to leave
has a pathway; a delay belongs to someone ready to leave and has its family's reason; a
stay is received once per hospital encounter.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from wraparound.caseload.models import Patient
from wraparound.directory.models import Service
from wraparound.organisations.models import Organisation

from .delays import REASONS
from .destinations import destinations

# A stranded patient has been in hospital 7 days or more, super-stranded 21 or more.
MARKS = (7, 14, 21)


class Pathway(models.TextChoices):
    """Discharge to assess (NHS England, Hospital discharge and community support, 2022)."""

    HOME = "0", "Pathway 0: home, no new support"
    HOME_WITH_SUPPORT = "1", "Pathway 1: home with new support"
    BED_BASED = "2", "Pathway 2: a bed for rehabilitation or assessment"
    CARE_HOME = "3", "Pathway 3: a care home"


class HospitalStay(models.Model):
    """One admission (a hospital encounter), as the hospital sent it."""

    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="stays")
    encounter_id = models.CharField(max_length=64, help_text="The hospital's own id for it")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="hospital_stays")
    ward = models.CharField(max_length=100, blank=True)
    admitted_at = models.DateTimeField()
    # When the person stopped meeting the criteria to reside (the discharge-ready date).
    ready_since = models.DateField(null=True, blank=True)
    pathway = models.CharField(max_length=1, choices=Pathway.choices, blank=True)
    delay_reason = models.CharField(max_length=40, blank=True)
    delay_since = models.DateField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    # Where the person goes (planned while in, actual once left): a Data Dictionary code.
    discharge_destination = models.CharField(max_length=2, blank=True)
    hub_referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The referral to the care transfer hub for the pathway now",
    )
    received_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["admitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["hospital", "encounter_id"], name="stay_once"),
            models.CheckConstraint(
                condition=Q(ready_since__isnull=True) | ~Q(pathway=""),
                name="ready_has_a_pathway",
            ),
            models.CheckConstraint(
                condition=Q(delay_reason="", delay_since__isnull=True)
                | Q(ready_since__isnull=False, delay_since__isnull=False) & ~Q(delay_reason=""),
                name="delay_is_for_someone_ready_with_its_start",
            ),
            models.CheckConstraint(
                condition=Q(delay_reason="") | Q(delay_reason__in=list(REASONS)),
                name="delay_reason_known",
            ),
            models.CheckConstraint(
                condition=Q(pathway="") | Q(pathway__in=Pathway.values), name="pathway_valid"
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True)
                | Q(discharged_at__gte=models.F("admitted_at")),
                name="discharged_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(discharge_destination="")
                | Q(discharge_destination__in=list(destinations())),
                name="discharge_destination_known",
            ),
        ]
        indexes = [models.Index(fields=["hospital", "discharged_at"], name="stay_in_hospital")]

    def __str__(self) -> str:
        return f"{self.hospital.ods_code} {self.encounter_id}"

    @property
    def waiting_for(self) -> str:
        """The delay's reason in words ("" when not waiting)."""
        return REASONS[self.delay_reason].words if self.delay_reason in REASONS else ""

    def length_of_stay(self, on: dt.date) -> int:
        """Midnights in hospital by ``on`` (0 on the day of admission)."""
        from django.utils import timezone

        return (on - timezone.localdate(self.admitted_at)).days


class CriteriaReview(models.Model):
    """A day's review of whether the person still meets the criteria to reside, and who."""

    stay = models.ForeignKey(HospitalStay, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    meets_criteria = models.BooleanField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.CharField(max_length=120, help_text="Who decided, as the hospital said")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_on"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "reviewed_on"], name="one_review_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.stay} {self.reviewed_on}: {'meets' if self.meets_criteria else 'ready'}"


class DischargePlan(models.Model):
    """The care transfer hub's arrangement for someone ready to leave: the day they leave, the
    service for their pathway and the day it starts and, when they leave before it starts,
    bridging care at home until it does. One a stay; changed in place (audited)."""

    stay = models.OneToOneField(HospitalStay, on_delete=models.CASCADE, related_name="plan")
    leaves_on = models.DateField()
    package_service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    package_starts = models.DateField()
    bridging_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bridging_referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    planned_at = models.DateTimeField()

    class Meta:
        constraints = [
            # Nobody goes home before their package starts without care until it does.
            models.CheckConstraint(
                condition=Q(
                    package_starts=models.F("leaves_on"),
                    bridging_service__isnull=True,
                    bridging_referral__isnull=True,
                )
                | Q(
                    package_starts__gt=models.F("leaves_on"),
                    bridging_service__isnull=False,
                    bridging_referral__isnull=False,
                ),
                name="bridged_until_the_package_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stay}: leaves {self.leaves_on}, package from {self.package_starts}"
