"""Referral forms: the web form a referrer fills in, and one CSV row of a batch.

Both name the field and the reason for every error; both find the person by
NHS number *and* date of birth, so a mistyped number cannot refer someone else.
"""

from __future__ import annotations

from typing import Any

from django import forms

from wraparound.access.purposes import Purpose
from wraparound.door.policy import UNKNOWN_PERSON, identify_patient
from wraparound.inputs import strip_bidi, year_problem
from wraparound.organisations.models import Neighbourhood, Organisation, Team
from wraparound.ui.forms import DateOfBirthField, NHSForm, NHSNumberField

from .models import Need, Source, Urgency


class _Referral(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=14)
    date_of_birth = DateOfBirthField()
    source = forms.ChoiceField(label="Where the referral comes from", choices=Source.choices)
    clinical_summary = forms.CharField(
        label="Clinical summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="What has happened, what the person needs, and any risks to the visiting team.",
    )

    def __init__(self, *args: Any, by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by = by

    def clean_clinical_summary(self) -> str:
        return strip_bidi(self.cleaned_data["clinical_summary"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("nhs_number") and data.get("date_of_birth"):
            patient = identify_patient(
                data["nhs_number"], data["date_of_birth"], purpose=Purpose.REFER_SOMEONE, by=self.by
            )
            if patient is None:
                self.add_error("nhs_number", UNKNOWN_PERSON)
            data["patient"] = patient
        return data


class ReferralForm(_Referral):
    """The web form. The hidden token is the idempotency key: a double submit sends it twice."""

    needs = forms.MultipleChoiceField(
        label="Presenting needs",
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
        help_text="Tick every need that applies. A fall with a suspected serious injury is a 999 call.",
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    field_order = ["nhs_number", "date_of_birth", "source", "needs", "clinical_summary"]


class ReferralRowForm(_Referral):
    """One row of a CSV batch; needs are codes separated by semicolons."""

    needs = forms.CharField(label="needs", max_length=500)
    idempotency_key = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Required: a key unique to this referral, so a resend adds nothing"
        },
    )
    referring_organisation = forms.CharField(required=False, max_length=8)
    received_at = forms.DateTimeField(required=False)

    def clean_received_at(self) -> Any:
        received = self.cleaned_data["received_at"]
        problem = year_problem(received.date()) if received else None
        if problem:
            raise forms.ValidationError(problem)
        return received

    def clean_needs(self) -> list[str]:
        codes = [c.strip() for c in self.cleaned_data["needs"].replace(",", ";").split(";")]
        codes = [c for c in codes if c]
        unknown = [c for c in codes if c not in Need.values]
        if unknown:
            raise forms.ValidationError(
                f"Not a presenting need: {', '.join(unknown)} (codes: {', '.join(Need.values)})"
            )
        if not codes:
            raise forms.ValidationError("Give at least one presenting need")
        return codes

    def clean_referring_organisation(self) -> Organisation | None:
        code = self.cleaned_data["referring_organisation"].strip().upper()
        if not code:
            return None
        organisation = Organisation.objects.filter(ods_code=code).first()
        if organisation is None:
            raise forms.ValidationError(f"No organisation has the ODS code {code}")
        return organisation


class OverrideForm(NHSForm):
    prefix = "override"

    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices)
    reason = forms.CharField(
        label="Why you are changing it", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class OfferForm(NHSForm):
    """No team is chosen for the coordinator: a preset first team invites a wrong offer."""

    prefix = "offer"
    team = forms.ModelChoiceField(label="Offer to", queryset=None, empty_label="Choose a team")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from wraparound.organisations.models import Team

        self.fields["team"].queryset = Team.objects.select_related("organisation").order_by("name")


class DeclineForm(NHSForm):
    prefix = "decline"

    reason = forms.CharField(
        label="Why your team cannot take it",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class ReturnForm(NHSForm):
    prefix = "return"

    reason = forms.CharField(
        label="Why it goes back", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    destination = forms.CharField(
        label="Where it goes", max_length=200, help_text="For example, the referring GP practice"
    )


class WorklistFilter(NHSForm):
    """Narrow the coordination-centre worklist to one team or one neighbourhood."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.select_related("organisation").order_by("name"),
        required=False,
        label="Offered to team",
    )
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.order_by("name"), required=False, label="Neighbourhood"
    )
