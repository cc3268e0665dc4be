"""Forms that render with the NHS.UK frontend's classes."""

from __future__ import annotations

from typing import Any

from django import forms

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
