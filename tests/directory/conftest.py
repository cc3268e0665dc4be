"""A small directory around Mrs Jones: 82, living in Hillside, breathless, Friday 17:00."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.factories import NeighbourhoodFactory, PatientFactory, TeamFactory
from tests.factories.directory import WEEKDAYS, make_service, weekly
from wraparound.caseload.models import Condition, Patient
from wraparound.directory.models import Service, ServiceType
from wraparound.directory.opening import LONDON
from wraparound.needs import Need
from wraparound.organisations.models import Neighbourhood, OrganisationKind, ServiceKind

FRIDAY_5PM = dt.datetime(2026, 11, 6, 17, 0, tzinfo=LONDON)
WEDNESDAY_11AM = dt.datetime(2026, 11, 4, 11, 0, tzinfo=LONDON)
MRS_JONES_NEEDS = [Need.BREATHLESSNESS, Need.UNABLE_TO_MANAGE]


@dataclass
class Directory:
    central: Neighbourhood
    hillside: Neighbourhood
    mrs_jones: Patient
    ucr: Service
    central_nursing: Service
    young_reablement: Service
    emergency_department: Service


@pytest.fixture
def directory(place) -> Directory:
    central = NeighbourhoodFactory(name="Wrexford Central", centre_latitude=52.486)
    hillside = NeighbourhoodFactory(name="Hillside", centre_latitude=52.47, centre_longitude=-2.13)
    hospital = TeamFactory(
        organisation__kind=OrganisationKind.ACUTE_TRUST,
        organisation__name="Testford Hospitals",
        name="Emergency Department",
        service_kind=ServiceKind.HOSPITAL,
        base_latitude=52.474,
        base_longitude=-2.066,
    )
    mrs_jones = PatientFactory(
        given_name="Edna",
        family_name="Jones",
        date_of_birth=dt.date(1944, 3, 1),
        sex="female",
        neighbourhood=hillside,
        latitude=52.47,
        longitude=-2.13,
        registered_practice=place.practice,
    )
    Condition.objects.create(
        patient=mrs_jones, system="http://snomed.info/sct", code="84114007", display="Heart failure"
    )
    ucr = make_service(
        place.ucr,
        name="Urgent Community Response",
        service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
        needs=[
            Need.FRAILTY_DECOMPENSATION,
            Need.BREATHLESSNESS,
            Need.UNABLE_TO_MANAGE,
            Need.FALL,
        ],
        neighbourhoods=[central, hillside],
        offers_two_hour=True,
        offers_two_day=True,
        open_24_7=True,
        min_age=18,
    )
    central_nursing = make_service(
        place.nursing,
        name="Central Community Nursing",
        needs=[Need.BREATHLESSNESS, Need.WOUND_CARE],
        neighbourhoods=[central],
        sessions=weekly(WEEKDAYS, "08:00", "18:00"),
        offers_two_day=True,
        routine_within_days=7,
    )
    young_reablement = make_service(
        place.ucr,
        name="Reablement (18-65)",
        service_type=ServiceType.REABLEMENT,
        needs=[Need.UNABLE_TO_MANAGE, Need.REABLEMENT],
        sessions=weekly(range(7), "08:00", "20:00"),
        min_age=18,
        max_age=65,
        offers_two_day=True,
    )
    emergency_department = make_service(
        hospital,
        name="Testford Emergency Department",
        service_type=ServiceType.EMERGENCY_DEPARTMENT,
        needs=[],
        is_fallback=True,
        offers_two_hour=True,
        open_24_7=True,
    )
    return Directory(
        central,
        hillside,
        mrs_jones,
        ucr,
        central_nursing,
        young_reablement,
        emergency_department,
    )
