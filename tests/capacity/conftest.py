"""A place with a virtual ward, senior clinicians, a volunteer responder and a crew on shift."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PatientFactory, TeamFactory, in_care_team, staff
from tests.factories.directory import make_service
from wraparound.capacity.models import FRAMEWORK_PATHWAYS, Pathway, Responder, Ward, WardKind
from wraparound.caseload.models import Patient
from wraparound.directory.models import ServiceType
from wraparound.needs import Need
from wraparound.workforce.models import Shift


@dataclass
class CapacityPlace:
    ward: Ward
    patient: Patient
    users: dict[str, Any]
    responder: Responder


@pytest.fixture
def capacity(place) -> CapacityPlace:
    return build_capacity_place(place)


def build_capacity_place(place) -> CapacityPlace:
    """A virtual ward of 2 places, a GP who is a senior clinician, two responders, a crew."""
    for code, name in FRAMEWORK_PATHWAYS:  # a transactional test has flushed the migration's
        Pathway.objects.get_or_create(code=code, defaults={"name": name})
    vw_team = TeamFactory(organisation=place.trust, name="Hospital at Home", code="h-at-h")
    service = make_service(
        vw_team,
        needs=[Need.REMOTE_MONITORING],
        name="Frailty Virtual Ward",
        service_type=ServiceType.VIRTUAL_WARD,
        capacity_is_live=True,
    )
    ward = Ward.objects.create(
        service=service,
        kind=WardKind.VIRTUAL_WARD,
        places=2,
        out_of_hours_cover="Hospital at Home consultant on call, 24/7",
    )
    make_service(
        place.ucr,
        needs=[Need.FALL],
        name="Urgent Community Response",
        service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
    )
    patient = PatientFactory(registered_practice=place.practice, latitude=52.50, longitude=-2.0)
    in_care_team(patient, place.practice)
    users = {
        "gp_senior": staff("gp_senior", place.practice, "senior_clinician"),
        "ward_nurse": staff("ward_nurse", place.trust, "clinician", vw_team),
        "responder": staff("responder", place.voluntary, "responder"),
        "far_responder": staff("far_responder", place.voluntary, "responder"),
        "coordinator": place.users["spa_coordinator"],
    }
    near = Responder.objects.create(
        staff=users["responder"].staff_member, latitude=52.505, longitude=-2.0
    )
    Responder.objects.create(
        staff=users["far_responder"].staff_member, latitude=52.70, longitude=-2.3
    )
    crew = place.users["ucr_nurse"].staff_member
    crew.base_latitude, crew.base_longitude = 52.49, -2.01
    crew.save()
    today = timezone.localdate()
    Shift.objects.create(staff=crew, date=today, starts_at=dt.time(0, 0), ends_at=dt.time(23, 59))
    return CapacityPlace(ward, patient, users, near)


# The falls triage answers of an uninjured person who needs help up.
UNINJURED: dict[str, object] = {"minor_injury": False, "needs_assessment": False}
ALL_CONFIRMED = {
    "red_flags_clear": True,
    "observations_normal": True,
    "mobile_after_lift": True,
    "safe_at_home": True,
    "cause_understood": True,
}
