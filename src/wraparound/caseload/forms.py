from __future__ import annotations

from django import forms

from wraparound.access.models import ConsentMethod, ConsentScope
from wraparound.inputs import year_problem
from wraparound.ui.forms import NHSForm

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


class DateOfBirthField(forms.DateField):
    """A date of birth: as people type it, and within the years any record can hold."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", "Date of birth")
        kwargs.setdefault("help_text", "For example, 1944-03-01 or 01/03/1944")
        super().__init__(input_formats=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> object:
        born = super().clean(value)
        problem = year_problem(born) if born else None
        if problem:
            raise forms.ValidationError(f"Enter a real date of birth: {problem}")
        return born


class BreakGlassForm(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=14)
    date_of_birth = DateOfBirthField()
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
