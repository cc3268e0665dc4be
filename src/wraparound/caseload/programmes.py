"""Programmes of contacts: templates that generate recurring contacts from a date.

First, the Healthy Child Programme's five mandated health-visitor contacts, from a
child's date of birth (the antenatal contact is counted back from the expected birth:
from 28 weeks of pregnancy, i.e. 12 weeks before 40 weeks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ContactTemplate:
    name: str
    opens_days: int  # after the anchor date (negative: before it)
    closes_days: int


@dataclass(frozen=True)
class Programme:
    name: str
    contacts: tuple[ContactTemplate, ...]


@dataclass(frozen=True)
class ContactDue:
    programme: str
    name: str
    opens_on: dt.date
    closes_on: dt.date


def _months(n: float) -> int:
    return round(n * 365.25 / 12)


HEALTHY_CHILD_PROGRAMME = Programme(
    "Healthy Child Programme",
    (
        ContactTemplate("Antenatal contact", -12 * 7, -1),
        ContactTemplate("New birth visit", 10, 14),
        ContactTemplate("6 to 8 week review", 6 * 7, 8 * 7),
        ContactTemplate("9 to 12 month review", _months(9), _months(12)),
        ContactTemplate("2 to 2½ year review", _months(24), _months(30)),
    ),
)


def contacts_from(programme: Programme, anchor: dt.date) -> list[ContactDue]:
    """Every contact of ``programme`` with its window, counted from ``anchor``."""
    return [
        ContactDue(
            programme.name,
            c.name,
            anchor + dt.timedelta(days=c.opens_days),
            anchor + dt.timedelta(days=c.closes_days),
        )
        for c in programme.contacts
    ]


def contacts_due_on(programme: Programme, anchor: dt.date, day: dt.date) -> list[ContactDue]:
    """The contacts whose window is open on ``day``."""
    return [c for c in contacts_from(programme, anchor) if c.opens_on <= day <= c.closes_on]
