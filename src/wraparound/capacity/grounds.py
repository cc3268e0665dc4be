"""The relationship a fall call gives to the faller's record (registered with the door).

The centre that took the call, the responder or crew sent, and the clinician who signed it
off see the person while the call is open, and for a day after it closes (the notes are
finished after the event); never a call they had no part in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q

from wraparound.access.roles import Relationship
from wraparound.door.grounds import Basis, Ground, register

from .models import FallCall

if TYPE_CHECKING:
    from wraparound.workforce.models import StaffMember

AFTER_CLOSING = dt.timedelta(days=1)


def _fall_response(staff: StaffMember, now: dt.datetime) -> Q:
    current = FallCall.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=now - AFTER_CLOSING)
    )
    part_in = current.filter(
        Q(taken_by_organisation_id=staff.organisation_id)
        | Q(responder__staff_id=staff.pk)
        | Q(crew_id=staff.pk)
        | Q(signed_off_by_id=staff.user_id)
    )
    return Q(pk__in=part_in.values("patient_id"))


def register_grounds() -> None:
    register(Ground(Relationship.FALL_RESPONSE, Basis.FALL_RESPONSE, _fall_response))
