from __future__ import annotations

from django import forms

from wraparound.ui.forms import NHSForm

from .fft import FOLLOW_UP, LABELS, QUESTION, Answer


class AnswerForm(NHSForm):
    rating = forms.ChoiceField(
        label=QUESTION,
        choices=[(a.value, LABELS[a]) for a in Answer],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the answers"},
    )
    reason = forms.CharField(
        label=FOLLOW_UP,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Optional. Please do not include your name or anyone else's.",
    )


class MonthForm(NHSForm):
    month = forms.DateField(
        label="Month", input_formats=["%Y-%m"], required=False, help_text="For example, 2026-11"
    )


class YouSaidWeDidForm(NHSForm):
    you_said = forms.CharField(
        label="You said", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    we_did = forms.CharField(
        label="We did", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
