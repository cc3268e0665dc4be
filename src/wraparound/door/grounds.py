"""The grounds on which a user may see a person, each given by the app that keeps its records.

The door decides who sees whom, but the records that make a relationship (a caseload entry,
a care team, an open referral, an advice request) belong to the apps that write them. Each
of those apps registers its grounds here when Django starts (its ``AppConfig.ready``), so
the door imports none of them and they all import the door: one direction, no ring.

A ground is a relationship (``access.roles.Relationship``, which each role's definition
lists), the words the privacy officer reads for it (``policy.Basis``) and its condition: a
``Q`` over the person model, built for one member of staff at one moment.

A relationship with no registered ground is a fault, not a quiet "no": ``grounds_for``
raises, and ``tests/access/test_grounds.py`` proves every relationship has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from wraparound.access.models import BreakGlass, ConsentDecision, ConsentScope
from wraparound.access.roles import Relationship

if TYPE_CHECKING:
    from wraparound.workforce.models import StaffMember

Condition = Callable[["StaffMember", dt.datetime], Q]


class Basis:
    """Why access was allowed, in words the privacy officer reads."""

    HOSPITAL_INPATIENT = "in a bed of the organisation's hospital"
    OWN_TEAM_CASELOAD = "own team's caseload"
    ORGANISATION_CASELOAD = "organisation's caseload"
    REFERRAL_HELD = "organisation's team is offered or holds an open referral"
    REFERRAL_TO_TRIAGE = "coordination centre: a referral waits for a service"
    CARE_TEAM = "organisation is in the care team"
    ADVICE_REQUEST = "organisation was asked for advice"
    ALLIANCE_SHARING = "alliance member's caseload, with consent to share"
    FALL_RESPONSE = "took, was sent to or signed off the person's fall call"
    BREAK_GLASS = "break glass"


@dataclass(frozen=True)
class Ground:
    relationship: Relationship
    basis: str
    condition: Condition


_registered: dict[Relationship, Ground] = {}
# The order a decision tries them in, so that its basis names the closest relationship.
_ORDER = list(Relationship)


def register(*grounds: Ground) -> None:
    """Add grounds; registering the same one twice is harmless, two different ones a fault."""
    for ground in grounds:
        held = _registered.get(ground.relationship)
        if held is not None and held != ground:
            raise ImproperlyConfigured(
                f"Two grounds claim the relationship {ground.relationship.value!r}"
            )
        _registered[ground.relationship] = ground


def unregistered() -> list[Relationship]:
    return [r for r in _ORDER if r not in _registered]


def grounds_for(relationships: Iterable[Relationship]) -> list[Ground]:
    """The grounds for these relationships, closest first; raise if one has none registered."""
    wanted = set(relationships)
    missing = [r.value for r in _ORDER if r in wanted and r not in _registered]
    if missing:
        raise ImproperlyConfigured(f"No ground is registered for: {', '.join(missing)}")
    return [_registered[r] for r in _ORDER if r in wanted]


# Conditions the record apps combine with their own. Each is "the person's id is in this
# set", an uncorrelated subquery: OR-ed together, PostgreSQL hashes each set once, where
# correlated EXISTS ran once per person (Find a person took 0.8-1.2 s over 50,000 residents).


def consent_is(scope: ConsentScope) -> Q:
    return Q(
        pk__in=ConsentDecision.objects.filter(is_current=True, scope=scope).values("patient_id")
    )


def not_dissented() -> Q:
    return ~consent_is(ConsentScope.DISSENT)


def _broke_the_glass(staff: StaffMember, now: dt.datetime) -> Q:
    return Q(
        pk__in=BreakGlass.objects.filter(user_id=staff.user_id, expires_at__gt=now).values(
            "patient_id"
        )
    )


register(Ground(Relationship.BREAK_GLASS, Basis.BREAK_GLASS, _broke_the_glass))
