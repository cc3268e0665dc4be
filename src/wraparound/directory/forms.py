from __future__ import annotations

from django import forms

from wraparound.needs import Need
from wraparound.ui.forms import DateInput, NHSNumberField

from .models import Capacity, Urgency


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(label="Capacity now", choices=Capacity.choices)
    free_slots = forms.IntegerField(
        label="Free slots or beds", min_value=0, max_value=10_000, required=False
    )
    next_start = forms.DateField(
        label="First day it can start someone new",
        required=False,
        help_text="Leave blank if it can start someone today",
        widget=DateInput(),
    )


class DirectorySearchForm(forms.Form):
    nhs_number = NHSNumberField(label="NHS number", max_length=14)
    needs = forms.MultipleChoiceField(
        label="Needs", choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices, widget=forms.RadioSelect)
