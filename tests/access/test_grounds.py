"""The door's grounds: every relationship a role may use has one, given by its records' app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from wraparound.access.roles import ROLES, Relationship
from wraparound.door import grounds
from wraparound.door.grounds import Basis, Ground


def test_every_relationship_has_a_registered_ground_once_django_has_started():
    assert grounds.unregistered() == []


def test_the_grounds_come_from_the_apps_that_keep_the_records():
    by_app = {
        g.relationship: g.condition.__module__ for g in grounds.grounds_for(list(Relationship))
    }
    assert by_app[Relationship.OWN_TEAM_CASELOAD] == "wraparound.caseload.grounds"
    assert by_app[Relationship.CARE_TEAM] == "wraparound.caseload.grounds"
    assert by_app[Relationship.REFERRAL_HELD] == "wraparound.referrals.grounds"
    assert by_app[Relationship.BREAK_GLASS] == "wraparound.door.grounds"


def test_grounds_are_tried_closest_first_whatever_order_a_role_lists_them():
    wanted = [Relationship.BREAK_GLASS, Relationship.OWN_TEAM_CASELOAD]
    assert [g.basis for g in grounds.grounds_for(wanted)] == [
        Basis.OWN_TEAM_CASELOAD,
        Basis.BREAK_GLASS,
    ]


def test_a_relationship_with_no_ground_is_a_fault_not_a_quiet_refusal(monkeypatch):
    monkeypatch.delitem(grounds._registered, Relationship.ADVICE_REQUEST)
    with pytest.raises(ImproperlyConfigured, match="advice_request"):
        grounds.grounds_for([Relationship.ADVICE_REQUEST])
    assert any(Relationship.ADVICE_REQUEST in d.relationships for d in ROLES.values())


def test_a_second_app_cannot_claim_a_relationship_already_given():
    def everyone(_staff: object, _now: dt.datetime) -> Q:
        return Q()

    with pytest.raises(ImproperlyConfigured, match="care_team"):
        grounds.register(Ground(Relationship.CARE_TEAM, Basis.CARE_TEAM, everyone))


def test_registering_the_same_ground_again_changes_nothing():
    held = grounds.grounds_for([Relationship.CARE_TEAM])[0]
    grounds.register(held)
    assert grounds.grounds_for([Relationship.CARE_TEAM]) == [held]
