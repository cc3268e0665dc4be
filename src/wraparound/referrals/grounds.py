"""The relationships referrals give to a person's record (registered with the door).

A team offered or holding an open referral is giving direct care, like a caseload, so
dissent does not stop it; nor does it stop the coordination centre routing a referral that
waits for a service. Sending a referral gives sight of its progress (``worklist``), never
of the record.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from wraparound.access.roles import Relationship
from wraparound.door.grounds import Basis, Ground, register

from .lifecycle import AWAITING_A_SERVICE, WITH_A_TEAM
from .models import Referral

if TYPE_CHECKING:
    from wraparound.workforce.models import StaffMember


def _open_referral(**filters: Any) -> Q:
    return Q(pk__in=Referral.objects.filter(**filters).values("patient_id"))


def _held(staff: StaffMember, now: dt.datetime) -> Q:
    return _open_referral(
        status__in=WITH_A_TEAM, offered_team__organisation_id=staff.organisation_id
    )


def _to_triage(staff: StaffMember, now: dt.datetime) -> Q:
    return _open_referral(status__in=AWAITING_A_SERVICE)


def register_grounds() -> None:
    register(
        Ground(Relationship.REFERRAL_HELD, Basis.REFERRAL_HELD, _held),
        Ground(Relationship.REFERRAL_TO_TRIAGE, Basis.REFERRAL_TO_TRIAGE, _to_triage),
    )
