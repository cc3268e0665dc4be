"""The relationship a hospital stay gives (registered with the door): a hospital's own
staff see the people in its beds, and for a week after they leave (the discharge letter and
the follow-up calls are written after)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q

from wraparound.access.roles import Relationship
from wraparound.door.grounds import Basis, Ground, register

from .models import HospitalStay

if TYPE_CHECKING:
    from wraparound.workforce.models import StaffMember

AFTER_LEAVING = dt.timedelta(days=7)


def _inpatient(staff: StaffMember, now: dt.datetime) -> Q:
    stays = HospitalStay.objects.filter(hospital_id=staff.organisation_id).filter(
        Q(discharged_at__isnull=True) | Q(discharged_at__gte=now - AFTER_LEAVING)
    )
    return Q(pk__in=stays.values("patient_id"))


def register_grounds() -> None:
    register(Ground(Relationship.HOSPITAL_INPATIENT, Basis.HOSPITAL_INPATIENT, _inpatient))
