"""The relationships caseload's records give to a person's record (registered with the door).

A team's caseload, the care team and an advice request are caseload's tables, so caseload
says what each means for access; the door decides with them (``door.grounds``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from wraparound.access.models import ConsentScope
from wraparound.access.roles import Relationship
from wraparound.door.grounds import Basis, Ground, consent_is, not_dissented, register
from wraparound.organisations.models import Organisation

from .models import AdviceRequest, CareTeamMember, CaseloadEntry

if TYPE_CHECKING:
    from wraparound.workforce.models import StaffMember

# An adviser keeps sight of the person for a while after answering, for follow-up questions.
ADVICE_VISIBILITY = dt.timedelta(days=30)


def _open_caseload(**filters: Any) -> Q:
    return Q(
        pk__in=CaseloadEntry.objects.filter(discharged_on__isnull=True, **filters).values(
            "patient_id"
        )
    )


def _own_team(staff: StaffMember, now: dt.datetime) -> Q:
    return _open_caseload(team_id=staff.team_id) if staff.team_id else Q(pk__in=[])


def _organisation(staff: StaffMember, now: dt.datetime) -> Q:
    return _open_caseload(team__organisation_id=staff.organisation_id)


def _care_team(staff: StaffMember, now: dt.datetime) -> Q:
    members = CareTeamMember.objects.filter(
        organisation_id=staff.organisation_id, ended_on__isnull=True
    )
    return Q(pk__in=members.values("patient_id")) & not_dissented()


def _advice_request(staff: StaffMember, now: dt.datetime) -> Q:
    asked = AdviceRequest.objects.filter(adviser_team__organisation_id=staff.organisation_id)
    recent = asked.filter(Q(status="open") | Q(answered_at__gte=now - ADVICE_VISIBILITY))
    return Q(pk__in=recent.values("patient_id")) & not_dissented()


def _alliance_partners(staff: StaffMember) -> QuerySet[Organisation]:
    # A subquery, not a list: the partners are read in the same statement as the people,
    # which saves a round trip on every search and every record opened.
    return (
        Organisation.objects.filter(alliances__members=staff.organisation_id)
        .exclude(pk=staff.organisation_id)
        .values("pk")
    )


def _alliance_sharing(staff: StaffMember, now: dt.datetime) -> Q:
    return _open_caseload(team__organisation_id__in=_alliance_partners(staff)) & consent_is(
        ConsentScope.SHARE_ACROSS_ALLIANCE
    )


def register_grounds() -> None:
    R = Relationship
    register(
        Ground(R.OWN_TEAM_CASELOAD, Basis.OWN_TEAM_CASELOAD, _own_team),
        Ground(R.ORGANISATION_CASELOAD, Basis.ORGANISATION_CASELOAD, _organisation),
        Ground(R.CARE_TEAM, Basis.CARE_TEAM, _care_team),
        Ground(R.ADVICE_REQUEST, Basis.ADVICE_REQUEST, _advice_request),
        Ground(R.ALLIANCE_SHARING, Basis.ALLIANCE_SHARING, _alliance_sharing),
    )
