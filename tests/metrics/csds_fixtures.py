"""A small hand-made history for the CSDS exports: referrals moved by the real actions, and
visits of each outcome, for the trust (the exporting provider) and for the council."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PatientFactory, on_caseload, staff
from wraparound.caseload.models import CarePlan, Intervention, Patient, Visit
from wraparound.referrals import actions
from wraparound.referrals.models import Referral

_keys = itertools.count(1)


@dataclass
class History:
    place: Any
    today: dt.date
    people: dict[str, Patient] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)


def send(place, person: Patient, needs: list[str]) -> Referral:
    referral, _ = actions.submit_referral(
        patient=person,
        source="gp",
        needs=needs,
        clinical_summary="Found on the floor by her daughter, no injury",
        idempotency_key=f"csds-{next(_keys)}",
        by=place.users["gp"],
    )
    return referral


def visit(person: Patient, team, status: str, *, planned: bool = False, **fields) -> Visit:
    now = timezone.now()
    intervention = None
    if planned:
        plan = CarePlan.objects.create(
            patient=person,
            team=team,
            title="Leg ulcer care",
            starts_on=timezone.localdate(),
            review_on=timezone.localdate() + dt.timedelta(days=30),
        )
        intervention = Intervention.objects.create(
            care_plan=plan,
            kind="simple_wound",
            duration_minutes=30,
            recurrence="daily",
            starts_on=timezone.localdate(),
            window_start=dt.time(9),
            window_end=dt.time(11),
        )
    finished = status in {"completed", "missed"}
    values = {
        "patient": person,
        "team": team,
        "intervention": intervention,
        "task": "Visit",
        "date": timezone.localdate(now),
        "window_start": now - dt.timedelta(hours=1),
        "window_end": now + dt.timedelta(hours=1),
        "duration_minutes": 30,
        "status": status,
        "finished_at": now if finished else None,
        "missed_reason": "no_answer" if status == "missed" else "",
        **fields,
    }
    return Visit.objects.create(**values)


@pytest.fixture
def history(place) -> History:
    """Five people; what became of each is in the comments."""
    users = place.users
    users["coordinator"] = staff("coordinator", place.trust, "coordinator")
    users["ucr_leader"] = staff("ucr_leader", place.trust, "team_leader", place.ucr)
    users["nursing_leader"] = staff("nursing_leader", place.trust, "team_leader", place.nursing)
    users["social_leader"] = staff("social_leader", place.council, "team_leader", place.social_care)
    coordinator = users["coordinator"]
    h = History(place=place, today=timezone.localdate())
    for name in ["fall", "wound", "reable", "council", "caseload"]:
        h.people[name] = PatientFactory(given_name="Edna", family_name=f"Jones-{name}")

    # A fall: 2-hour, the trust's UCR team accepts, visits (attended) and completes.
    fall = send(place, h.people["fall"], ["fall", "wound_care"])
    actions.offer_to_team(referral_id=fall.pk, team_id=place.ucr.pk, by=coordinator)
    actions.accept_referral(referral_id=fall.pk, by=users["ucr_leader"])
    h.visits["ucr"] = visit(h.people["fall"], place.ucr, "completed", duration_minutes=45)
    actions.complete_referral(referral_id=fall.pk, by=users["ucr_leader"])
    h.referrals["fall"] = fall

    # Wound care: routine, the trust's nursing team declines and it goes to the council.
    wound = send(place, h.people["wound"], ["wound_care"])
    actions.offer_to_team(referral_id=wound.pk, team_id=place.nursing.pk, by=coordinator)
    actions.decline_referral(
        referral_id=wound.pk,
        reason="Mrs Jones-wound is known to the council's team",
        redirect_to_team_id=place.social_care.pk,
        by=users["nursing_leader"],
    )
    actions.accept_referral(referral_id=wound.pk, by=users["social_leader"])
    h.referrals["wound"] = wound

    # Reablement: 2-day, offered to the trust's nursing team and not yet answered.
    reable = send(place, h.people["reable"], ["reablement"])
    actions.offer_to_team(referral_id=reable.pk, team_id=place.nursing.pk, by=coordinator)
    h.referrals["reable"] = reable

    # Offered only to the council: not the trust's.
    council = send(place, h.people["council"], ["social_support"])
    actions.offer_to_team(referral_id=council.pk, team_id=place.social_care.pk, by=coordinator)
    h.referrals["council"] = council

    # On the nursing caseload without a referral: a planned visit of each outcome, one not yet
    # made (not a contact yet), and one by the council's team (not the trust's).
    person = h.people["caseload"]
    on_caseload(person, place.nursing)
    h.visits["planned_attended"] = visit(person, place.nursing, "completed", planned=True)
    h.visits["missed"] = visit(person, place.nursing, "missed")
    h.visits["cancelled"] = visit(person, place.nursing, "cancelled")
    h.visits["not_yet"] = visit(person, place.nursing, "planned")
    h.visits["council"] = visit(person, place.social_care, "completed")
    return h


def period(h: History) -> tuple[dt.date, dt.date]:
    return h.today - dt.timedelta(days=1), h.today + dt.timedelta(days=1)
