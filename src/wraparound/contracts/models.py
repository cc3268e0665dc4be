"""An alliance's contract for a year: its terms, each partner's part, and its quality
thresholds. Money in whole pence; the arithmetic is ``arithmetic.py``'s."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from wraparound.metrics.registry import BY_CODE
from wraparound.metrics.spc import Improvement
from wraparound.organisations.models import Alliance, Organisation

from .arithmetic import Partner, QualityThreshold, Terms


class Contract(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="contracts")
    name = models.CharField(max_length=200)
    year_starting = models.DateField(help_text="the first day of the contract year (1 April)")
    fixed_pence = models.BigIntegerField()
    rate_pence = models.BigIntegerField(help_text="per completed care contact")
    baseline_activity = models.PositiveIntegerField(help_text="completed contacts in a year")
    dead_band_activity = models.PositiveIntegerField(default=0)
    cap_pence = models.BigIntegerField()
    collar_pence = models.BigIntegerField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year_starting", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "year_starting"], name="one_contract_per_alliance_year"
            ),
            models.CheckConstraint(
                condition=models.Q(cap_pence__gte=models.F("collar_pence")),
                name="contract_cap_not_below_collar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year_starting:%Y}/{(self.year_starting.year + 1) % 100:02d})"

    def terms(self) -> Terms:
        """The terms as the arithmetic reads them."""
        return Terms(
            fixed_pence=self.fixed_pence,
            rate_pence=self.rate_pence,
            baseline_activity=self.baseline_activity,
            dead_band_activity=self.dead_band_activity,
            cap_pence=self.cap_pence,
            collar_pence=self.collar_pence,
            partners=tuple(
                Partner(
                    p.organisation.ods_code,
                    p.organisation.name,
                    p.fixed_pence,
                    p.risk_share_basis_points,
                )
                for p in self.partners.select_related("organisation").order_by("pk")
            ),
            thresholds=tuple(
                QualityThreshold(
                    t.metric_code,
                    BY_CODE[t.metric_code].name,
                    t.threshold,
                    BY_CODE[t.metric_code].improvement != Improvement.DECREASE,
                    t.premium_pence,
                )
                for t in self.thresholds.order_by("pk")
            ),
        )


class ContractPartner(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    fixed_pence = models.BigIntegerField()
    risk_share_basis_points = models.PositiveIntegerField(help_text="of 10,000")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"], name="one_part_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.contract}"


class ContractThreshold(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="thresholds")
    metric_code = models.CharField(max_length=40)
    threshold = models.DecimalField(max_digits=10, decimal_places=2)
    premium_pence = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "metric_code"], name="one_threshold_per_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric_code} {self.threshold} in {self.contract}"
