"""What every capacity action checks of its input, each refusal naming its field."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from wraparound.access.actors import Actor
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.roles import Permission

CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_TEXT = 4000


def require(by: Actor, permission: Permission, refusal: str) -> None:
    if not has_permission(by, permission):
        raise NoAccess(refusal)


def text(value: str | None, field: str, what: str, *, max_length: int = 300) -> str:
    given = (value or "").strip()
    if not given:
        raise ValidationError({field: f"Give {what}"})
    if len(given) > max_length:
        raise ValidationError({field: f"Keep {what} to {max_length} characters"})
    return given


def moment(value: dt.datetime | None, field: str, now: dt.datetime) -> dt.datetime:
    when = value or now
    if timezone.is_naive(when):
        raise ValidationError({field: "Give the time with its time zone"})
    if when > now + CLOCK_SKEW:
        raise ValidationError({field: "cannot be in the future"})
    return when


def clock_words(when: dt.datetime) -> str:
    return f"{timezone.localtime(when):%d %b %H:%M}"
