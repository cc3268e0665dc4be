"""A hospital with its ward clerk, another hospital's, and an 84-year-old in a bed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, PatientFactory, staff
from wraparound.discharge.actions import StayReport
from wraparound.organisations.models import OrganisationKind

LONDON = timezone.get_default_timezone()
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def hospital(place, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 2, 15, 0, tzinfo=LONDON))
    org = OrganisationFactory(
        ods_code="RHX", name="Testford General", kind=OrganisationKind.ACUTE_TRUST
    )
    return {
        "org": org,
        "ward_clerk": staff("ward_clerk", org, "clinician"),
        "other_hospital": staff(
            "other_hospital",
            OrganisationFactory(ods_code="RHY", kind=OrganisationKind.ACUTE_TRUST),
            "clinician",
        ),
        "person": PatientFactory(date_of_birth=dt.date(1942, 5, 1)),
    }


def stay_of(person, **fields) -> StayReport:
    """Ward 7's report of the person's stay since 09:00 on Saturday 28 November."""
    return StayReport(
        encounter_id="E84",
        nhs_number=person.nhs_number,
        date_of_birth=person.date_of_birth,
        admitted_at=dt.datetime(2026, 11, 28, 9, 0, tzinfo=LONDON),
        ward="Ward 7",
        **fields,
    )
