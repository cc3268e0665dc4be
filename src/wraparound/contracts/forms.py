"""The finance lead's terms form: money in pounds and pence, shares in per cent, stored as
whole pence and basis points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from wraparound.metrics.registry import BY_CODE, METRICS
from wraparound.organisations.models import Alliance
from wraparound.ui.forms import NHSForm

from .actions import ACTIVITY_FIELDS, MONEY_FIELDS, PartnerPart, ThresholdTerm
from .models import Contract
from .statements import ADDABLE

LABELS = {
    "fixed_pence": "Fixed element for the year (£)",
    "rate_pence": "Rate per completed contact above or below the baseline (£)",
    "cap_pence": "Cap on the total (£)",
    "collar_pence": "Collar on the total (£)",
    "baseline_activity": "Baseline: completed contacts in the year",
    "dead_band_activity": "Dead band either side of the baseline (contacts)",
}


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_digits=14, decimal_places=2)


class TermsForm(NHSForm):
    def __init__(self, contract: Contract, *args: Any, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        for name in MONEY_FIELDS:
            initial[name] = Decimal(getattr(contract, name)) / 100
        for name in ACTIVITY_FIELDS:
            initial[name] = getattr(contract, name)
        self.partner_rows = list(contract.partners.select_related("organisation").order_by("pk"))
        self.threshold_rows = list(contract.thresholds.order_by("pk"))
        for p in self.partner_rows:
            initial[f"partner_{p.pk}_fixed"] = Decimal(p.fixed_pence) / 100
            initial[f"partner_{p.pk}_share"] = Decimal(p.risk_share_basis_points) / 100
        for t in self.threshold_rows:
            initial[f"threshold_{t.pk}_value"] = t.threshold
            initial[f"threshold_{t.pk}_premium"] = Decimal(t.premium_pence) / 100
        super().__init__(*args, initial=initial, **kwargs)
        for name in MONEY_FIELDS:
            self.fields[name] = _money(LABELS[name])
        for name in ACTIVITY_FIELDS:
            self.fields[name] = forms.IntegerField(label=LABELS[name], min_value=0)
        for p in self.partner_rows:
            self.fields[f"partner_{p.pk}_fixed"] = _money(f"{p.organisation.name}: fixed (£)")
            self.fields[f"partner_{p.pk}_share"] = forms.DecimalField(
                label=f"{p.organisation.name}: share of gains and losses (%)",
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
            )
        for t in self.threshold_rows:
            name = BY_CODE[t.metric_code].name
            self.fields[f"threshold_{t.pk}_value"] = forms.DecimalField(
                label=f"{name}: threshold ({BY_CODE[t.metric_code].unit})", decimal_places=2
            )
            self.fields[f"threshold_{t.pk}_premium"] = _money(f"{name}: premium if met (£)")
        taken = {t.metric_code for t in self.threshold_rows}
        choices = [("", "None")] + [
            (m.code, m.name) for m in METRICS if m.shape in ADDABLE and m.code not in taken
        ]
        self.fields["add_metric"] = forms.ChoiceField(
            label="Add a quality threshold on", choices=choices, required=False
        )
        self.fields["add_threshold"] = forms.DecimalField(
            label="Its threshold", decimal_places=2, required=False
        )
        self.fields["add_premium"] = forms.DecimalField(
            label="Its premium if met (£)",
            min_value=Decimal(0),
            max_digits=14,
            decimal_places=2,
            required=False,
        )
        self._apply_classes()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("add_metric"):
            for field in ("add_threshold", "add_premium"):
                if data.get(field) is None:
                    self.add_error(field, "Give this for the threshold you are adding")
        return data

    def _apply_classes(self) -> None:
        for field in self.fields.values():
            css = "nhsuk-select" if isinstance(field.widget, forms.Select) else "nhsuk-input"
            field.widget.attrs.setdefault("class", css)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        terms: dict[str, Any] = {n: int(data[n] * 100) for n in MONEY_FIELDS}
        terms.update({n: data[n] for n in ACTIVITY_FIELDS})
        terms["partners"] = [
            PartnerPart(
                p.organisation_id,
                int(data[f"partner_{p.pk}_fixed"] * 100),
                int(data[f"partner_{p.pk}_share"] * 100),
            )
            for p in self.partner_rows
        ]
        terms["thresholds"] = [
            ThresholdTerm(
                t.metric_code,
                data[f"threshold_{t.pk}_value"],
                int(data[f"threshold_{t.pk}_premium"] * 100),
            )
            for t in self.threshold_rows
        ]
        if data.get("add_metric"):
            terms["thresholds"].append(
                ThresholdTerm(
                    data["add_metric"], data["add_threshold"], int(data["add_premium"] * 100)
                )
            )
        return terms


class OpenContractForm(NHSForm):
    alliance = forms.ModelChoiceField(queryset=Alliance.objects.none(), label="Alliance")
    name = forms.CharField(label="Name of the contract", max_length=200)
    year_starting = forms.DateField(
        label="The year starts on", help_text="The first of a month, for example 2027-04-01"
    )

    def __init__(self, organisation_id: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["alliance"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Alliance.objects.filter(members=organisation_id).order_by("name")
