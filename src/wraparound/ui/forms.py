"""Forms that render with the NHS.UK frontend's classes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from wraparound import nhs_number
from wraparound.inputs import year_problem

_CLASSES = {
    forms.Select: "nhsuk-select",
    forms.Textarea: "nhsuk-textarea",
    forms.RadioSelect: "nhsuk-radios__input",
    forms.CheckboxSelectMultiple: "nhsuk-checkboxes__input",
}


class NHSForm(forms.Form):
    """A form whose widgets carry the NHS.UK classes, with errors marked for assistive tech."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in _CLASSES.items() if isinstance(widget, kind)), "nhsuk-input"
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and writes only YYYY-MM-DD, so an initial date is
    rendered so too (the locale's format, 04/12/2026, shows as an empty picker)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


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


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """An action's refusal onto the form: each error beside the field it names, or above
    the form when it names none of the form's fields."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
