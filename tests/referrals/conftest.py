"""A place with a coordination centre and team leaders, and a way to send a referral."""

from __future__ import annotations

import itertools

import pytest

from tests.factories import PatientFactory, staff
from wraparound.referrals import actions

_keys = itertools.count(1)


@pytest.fixture
def people(place):
    """The small place, plus the coordination centre and a team leader for each team."""
    place.users["coordinator"] = staff("coordinator", place.trust, "coordinator")
    place.users["ucr_leader"] = staff("ucr_leader", place.trust, "team_leader", place.ucr)
    place.users["nursing_leader"] = staff(
        "nursing_leader", place.trust, "team_leader", place.nursing
    )
    place.users["social_leader"] = staff(
        "social_leader", place.council, "team_leader", place.social_care
    )
    return place


@pytest.fixture
def person(db):
    return PatientFactory(given_name="Edna", family_name="Jones")


def send(place, person, *, needs=("fall",), key=None, by="gp", **extra):
    """The GP sends a referral through the front door (stored, then triaged)."""
    referral, _created = actions.submit_referral(
        patient=person,
        source=extra.pop("source", "gp"),
        needs=list(needs),
        clinical_summary=extra.pop("clinical_summary", "Found on the floor, no injury, frail"),
        idempotency_key=key or f"key-{next(_keys)}",
        by=place.users[by],
        **extra,
    )
    return referral
