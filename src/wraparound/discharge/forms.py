"""The ward's forms for a stay (today's review, the delay, leaving) and the hub's plan."""

from __future__ import annotations

from typing import Any

from django import forms

from wraparound.ui.forms import DateInput, NHSForm

from .delays import REASONS
from .destinations import destinations
from .models import Pathway


def _destination_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(code, f"{code}: {words}") for code, words in destinations().items()]


class ReviewForm(NHSForm):
    """Today's review of the criteria to reside."""

    ready = forms.TypedChoiceField(
        label="Does the person still meet the criteria to reside?",
        choices=[("no", "No: ready to leave today"), ("yes", "Yes: still needs a hospital bed")],
        coerce=lambda v: v == "no",
        widget=forms.RadioSelect,
    )
    pathway = forms.ChoiceField(
        label="Discharge pathway (when ready)",
        choices=[("", "Choose a pathway"), *Pathway.choices],
        required=False,
    )
    destination = forms.ChoiceField(
        label="Where they will go (if known)",
        choices=_destination_choices("Not known yet"),
        required=False,
    )
    decided_by = forms.CharField(label="Who decided", max_length=120)


class DelayForm(NHSForm):
    reason = forms.ChoiceField(
        label="Why they are still here",
        choices=[(code, f"{r.family}: {r.words}") for code, r in REASONS.items()],
    )
    since = forms.DateField(label="Since", widget=DateInput())


class LeftForm(NHSForm):
    left_at = forms.DateTimeField(label="When they left", help_text="For example, 2026-12-04 16:30")
    destination = forms.ChoiceField(
        label="Where they went", choices=_destination_choices("Choose a destination")
    )


class PlanForm(NHSForm):
    """The hub's plan: the services offered are the directory's eligible ones."""

    leaves_on = forms.DateField(label="The day they leave hospital", widget=DateInput())
    package_service = forms.TypedChoiceField(label="Service for the pathway", coerce=int)
    package_starts = forms.DateField(label="The day it starts", widget=DateInput())
    bridging_service = forms.TypedChoiceField(
        label="Bridging care until it starts",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Needed when they leave before the package starts",
    )

    def __init__(
        self,
        *args: Any,
        packages: list[tuple[int, str]],
        bridging: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package_service"].choices = packages  # type: ignore[attr-defined]
        none = ("", "None: the package starts the day they leave")
        self.fields["bridging_service"].choices = [none, *bridging]  # type: ignore[attr-defined]
