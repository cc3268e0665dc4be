"""Programmes of contacts: templates that generate recurring contacts from a date.

First, the Healthy Child Programme's five mandated health-visitor contacts, from a
child's date of birth (the antenatal contact is counted back from the expected birth:
from 28 weeks of pregnancy, i.e. 12 weeks before 40 weeks).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ContactTemplate:
    """A contact's window, as calendar months plus days after the anchor (negative: before)."""

    name: str
    opens: tuple[int, int]  # (months, days)
    closes: tuple[int, int]


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


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _offset(anchor: dt.date, months_days: tuple[int, int]) -> dt.date:
    months, days = months_days
    return add_months(anchor, months) + dt.timedelta(days=days)


HEALTHY_CHILD_PROGRAMME = Programme(
    "Healthy Child Programme",
    (
        ContactTemplate("Antenatal contact", (0, -12 * 7), (0, -1)),
        ContactTemplate("New birth visit", (0, 10), (0, 14)),
        ContactTemplate("6 to 8 week review", (0, 6 * 7), (0, 8 * 7)),
        ContactTemplate("9 to 12 month review", (9, 0), (12, 0)),
        ContactTemplate("2 to 2½ year review", (24, 0), (30, 0)),
    ),
)


def contacts_from(programme: Programme, anchor: dt.date) -> list[ContactDue]:
    """Every contact of ``programme`` with its window, counted from ``anchor``."""
    return [
        ContactDue(
            programme.name,
            c.name,
            _offset(anchor, c.opens),
            _offset(anchor, c.closes),
        )
        for c in programme.contacts
    ]


def contacts_due_on(programme: Programme, anchor: dt.date, day: dt.date) -> list[ContactDue]:
    """The contacts whose window is open on ``day``."""
    return [c for c in contacts_from(programme, anchor) if c.opens_on <= day <= c.closes_on]
