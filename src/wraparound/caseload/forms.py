from __future__ import annotations

from django import forms

from wraparound.access.models import ConsentMethod, ConsentScope
from wraparound.web.forms import NHSForm

from . import nhs_number


class PeopleSearchForm(NHSForm):
    q = forms.CharField(label="Name or NHS number", required=False, max_length=100)


class NHSNumberField(forms.CharField):
    def clean(self, value: str) -> str:
        value = super().clean(value)
        try:
            return nhs_number.validate(value)
        except nhs_number.InvalidNHSNumber as exc:
            raise forms.ValidationError(str(exc), code="invalid_nhs_number") from exc


class BreakGlassForm(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=14)
    reason = forms.CharField(
        label="Why you need this record now",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=20,
        max_length=1000,
        help_text="An emergency reason, at least 20 characters. The privacy officer reviews every use.",
    )


class ConsentForm(NHSForm):
    scope = forms.ChoiceField(
        label="The person's decision", choices=ConsentScope.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label="How it was given", choices=ConsentMethod.choices)
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
