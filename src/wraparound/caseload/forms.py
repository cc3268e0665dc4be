from __future__ import annotations

from django import forms

from wraparound.access.models import ConsentMethod, ConsentScope
from wraparound.ui.forms import DateOfBirthField, NHSForm, NHSNumberField


class PeopleSearchForm(NHSForm):
    q = forms.CharField(label="Name or NHS number", required=False, max_length=100)


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
