"""The capacity pages' forms: what a clinician, a call handler or a responder types."""

from __future__ import annotations

from typing import Any

from django import forms

from wraparound.ui.forms import DateOfBirthField, NHSForm, NHSNumberField

from .actions import MEDICATION_CHANGES
from .falls import CHECKLIST, NEEDS_A_CLINICIAN, RED_FLAGS
from .models import Direction, Disposition, FallDecision, Pathway

MEDICINE_ROWS = 3


class AdmitForm(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=12)
    date_of_birth = DateOfBirthField()
    direction = forms.ChoiceField(choices=Direction.choices, widget=forms.RadioSelect)
    pathway = forms.ChoiceField(choices=())
    reason = forms.CharField(label="Reason for admission", max_length=300)
    out_of_hours_cover = forms.CharField(
        label="Out-of-hours cover",
        max_length=300,
        required=False,
        help_text="Leave blank for the ward's usual arrangement",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = [(p.code, p.name) for p in Pathway.objects.all()]


class DischargeForm(NHSForm):
    disposition = forms.ChoiceField(
        label="Where the person goes", choices=Disposition.choices, widget=forms.RadioSelect
    )
    gp_summary = forms.CharField(
        label="Summary for the GP", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        changes = [("", "No change")] + [(c, c.capitalize()) for c in MEDICATION_CHANGES]
        for i in range(MEDICINE_ROWS):
            text = {"class": "nhsuk-input"}
            self.fields[f"medicine_{i}"] = forms.CharField(
                label=f"Medicine {i + 1}",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs=text),
            )
            self.fields[f"change_{i}"] = forms.ChoiceField(
                label=f"Change to medicine {i + 1}",
                choices=changes,
                required=False,
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )
            self.fields[f"detail_{i}"] = forms.CharField(
                label=f"Detail for medicine {i + 1}",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs=text),
            )

    def medication_changes(self) -> list[dict[str, str]]:
        """The rows filled in; a medicine with no change named is refused by the action."""
        rows = []
        for i in range(MEDICINE_ROWS):
            medicine = self.cleaned_data.get(f"medicine_{i}", "")
            change = self.cleaned_data.get(f"change_{i}", "")
            if medicine or change:
                rows.append(
                    {
                        "medicine": medicine,
                        "change": change,
                        "detail": self.cleaned_data.get(f"detail_{i}", ""),
                    }
                )
        return rows


class FallCallForm(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=12)
    date_of_birth = DateOfBirthField()
    fell_at = forms.DateTimeField(
        label="When they fell (if known)",
        required=False,
        help_text="For example, 2026-12-04 16:40",
    )
    red_flags = forms.MultipleChoiceField(
        label="Any of these? (each means call 999, not the falls response)",
        choices=list(RED_FLAGS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    clinician_needs = forms.MultipleChoiceField(
        label="Any of these? (each sends a clinician)",
        choices=list(NEEDS_A_CLINICIAN.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def answers(self) -> dict[str, bool]:
        ticked = set(self.cleaned_data["red_flags"]) | set(self.cleaned_data["clinician_needs"])
        return {key: key in ticked for key in [*RED_FLAGS, *NEEDS_A_CLINICIAN]}


class ClockForm(NHSForm):
    clock = forms.ChoiceField(choices=[("on_scene", "On scene"), ("off_floor", "Off the floor")])
    at = forms.DateTimeField(label="Time", required=False, help_text="Blank for now")


class SignOffForm(NHSForm):
    checklist = forms.MultipleChoiceField(
        label="Confirmed with the responder on scene",
        choices=list(CHECKLIST.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decision = forms.ChoiceField(choices=FallDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Note", max_length=500, required=False)
    refer_to_falls_prevention = forms.BooleanField(
        label="Refer to falls prevention (strength and balance, home hazards)", required=False
    )
