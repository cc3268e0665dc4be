"""The cohort builder's form: each part of a definition, all optional."""

from __future__ import annotations

from typing import Any

from django import forms

from wraparound.organisations.models import Neighbourhood, Organisation, OrganisationKind
from wraparound.ui.forms import NHSForm

from .cohorts import CohortQuery
from .models import EfiBand, HfrsBand

EITHER = [("", "Either"), ("yes", "Yes"), ("no", "No")]


class CohortForm(NHSForm):
    min_age = forms.IntegerField(label="Aged at least", min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label="Aged at most", min_value=0, max_value=120, required=False)
    efi_bands = forms.MultipleChoiceField(
        label="Electronic frailty index",
        choices=EfiBand.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hfrs_bands = forms.MultipleChoiceField(
        label="Hospital Frailty Risk Score (75 and over)",
        choices=HfrsBand.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    admitted_within_months = forms.IntegerField(
        label="An emergency admission in the last (months)",
        min_value=1,
        max_value=60,
        required=False,
    )
    conditions = forms.CharField(
        label="Any of these conditions (SNOMED CT codes)",
        required=False,
        help_text="For example 84114007, 13645005",
    )
    deciles = forms.TypedMultipleChoiceField(
        label="Deprivation decile (1 is most deprived)",
        choices=[(d, str(d)) for d in range(1, 11)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    practices = forms.ModelMultipleChoiceField(
        label="Registered with",
        queryset=Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE).order_by("name"),
        required=False,
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label="Living in", queryset=Neighbourhood.objects.order_by("name"), required=False
    )
    on_caseload = forms.ChoiceField(label="On a community caseload", choices=EITHER, required=False)
    has_care_plan = forms.ChoiceField(label="With a care plan", choices=EITHER, required=False)

    def query(self) -> CohortQuery:
        data: dict[str, Any] = self.cleaned_data

        def either(name: str) -> bool | None:
            return {"yes": True, "no": False}.get(data.get(name) or "")

        codes = tuple(c.strip() for c in (data.get("conditions") or "").split(",") if c.strip())
        return CohortQuery(
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            efi_bands=tuple(data.get("efi_bands") or ()),
            hfrs_bands=tuple(data.get("hfrs_bands") or ()),
            admitted_within_months=data.get("admitted_within_months"),
            conditions=codes,
            deciles=tuple(data.get("deciles") or ()),
            practice_ids=tuple(p.pk for p in data.get("practices") or ()),
            neighbourhood_ids=tuple(n.pk for n in data.get("neighbourhoods") or ()),
            on_caseload=either("on_caseload"),
            has_care_plan=either("has_care_plan"),
        )

    @staticmethod
    def initial_of(query: CohortQuery) -> dict[str, Any]:
        def either(value: bool | None) -> str:
            return "" if value is None else "yes" if value else "no"

        return {
            "min_age": query.min_age,
            "max_age": query.max_age,
            "efi_bands": list(query.efi_bands),
            "hfrs_bands": list(query.hfrs_bands),
            "admitted_within_months": query.admitted_within_months,
            "conditions": ", ".join(query.conditions),
            "deciles": list(query.deciles),
            "practices": list(query.practice_ids),
            "neighbourhoods": list(query.neighbourhood_ids),
            "on_caseload": either(query.on_caseload),
            "has_care_plan": either(query.has_care_plan),
        }


class SaveCohortForm(NHSForm):
    name = forms.CharField(label="Save as", max_length=120)
