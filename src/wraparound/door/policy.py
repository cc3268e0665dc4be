"""The one door to a person's record.

A user sees a person only when their organisation has a legitimate
relationship with that person, allowed by the person's consent:

| relationship                                       | share  | own org | dissent |
|----------------------------------------------------|--------|---------|---------|
| a team of the user's organisation has them on its  |  yes   |   yes   |   yes   |
|   caseload (the user's own team, or another team)  |        |         |         |
| a team of the user's organisation is offered, or   |  yes   |   yes   |   yes   |
|   has accepted, an open referral for them          |        |         |         |
| the user's organisation is in their care team      |  yes   |   yes   |   no    |
| a team of the user's organisation was asked for    |  yes   |   yes   |   no    |
|   advice about them (open, or answered < 30 days)  |        |         |         |
| the user is in the coordination centre and their   |  yes   |   yes   |   yes   |
|   referral waits for a service (to triage, offer)  |        |         |         |
| another alliance member has them on its caseload   |  yes   |   no    |   no    |
| the user broke the glass, within its time limit    |  yes   |   yes   |   yes   |

A team being offered or holding a referral is giving direct care, like a
caseload, so dissent does not stop it; nor does it stop the coordination centre
routing a referral that waits for a service. Sending a referral gives sight of
that referral's progress (``referrals.worklist``), never of the record: a
referrer sees a person only on one of the grounds above.

Each role uses only the grounds its definition lists (``roles.ROLES``): a
befriending volunteer sees people their own organisation supports, never by
alliance sharing or break-glass, and sees only the sections of the record its
work needs (``sections_for``).

No consent recorded is treated as "own organisation only". Dissent removes
every view that crosses organisations except break-glass. Users also need
the permission to view records (``Permission.VIEW_PATIENT_RECORD``).
Each ground's condition is written by the app whose records make the relationship, and
registered with the door when Django starts (``door/grounds.py``): caseload's caseload,
care team and advice requests (``caseload/grounds.py``), referrals' open referrals
(``referrals/grounds.py``) and the door's own break-glass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission, Relationship, Section, definition_of

from .grounds import Basis, grounds_for
from .person import person_model

if TYPE_CHECKING:
    from wraparound.caseload.models import Patient
    from wraparound.workforce.models import StaffMember

# Re-exported: the door's callers check permissions through it as well.
__all__ = [
    "UNKNOWN_PERSON",
    "Basis",
    "Decision",
    "NoAccess",
    "access_patient",
    "decide",
    "has_permission",
    "identify_patient",
    "require_section",
    "sections_for",
    "sees_by",
    "staff_of",
    "visible_patients",
]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str = ""
    reason: str = ""


def _relationship_conditions(staff: StaffMember) -> list[tuple[str, Q]]:
    """Each basis the staff member's role may use, and its condition over the person model."""
    now = timezone.now()
    relationships = definition_of(staff.role).relationships
    return [(g.basis, g.condition(staff, now)) for g in grounds_for(relationships)]


def sections_for(user: Any) -> frozenset[Section]:
    """The parts of a record the user's role may see (none without the record permission)."""
    staff = staff_of(user)
    if staff is None or not has_permission(user, Permission.VIEW_PATIENT_RECORD):
        return frozenset()
    return definition_of(staff.role).sections


def require_section(user: Any, section: Section) -> None:
    if section not in sections_for(user):
        raise NoAccess(f"Your role does not see a person's {section.value.replace('_', ' ')}")


def sees_by(user: Any, relationship: Relationship) -> bool:
    """Whether ``user`` may see people on this ground at all (their role lists it, and they
    may view records): a list that the ground alone justifies needs no per-person filter."""
    staff = staff_of(user)
    if staff is None or not has_permission(user, Permission.VIEW_PATIENT_RECORD):
        return False
    return relationship in definition_of(staff.role).relationships


def visible_patients(queryset: QuerySet[Patient], user: Any) -> QuerySet[Patient]:
    """Narrow ``queryset`` to the people ``user`` may see. Does not audit: callers do."""
    staff = staff_of(user)
    if staff is None or not has_permission(user, Permission.VIEW_PATIENT_RECORD):
        return queryset.none()
    allowed = Q(pk__in=[])
    for _basis, condition in _relationship_conditions(staff):
        allowed |= condition
    return queryset.filter(allowed)


def decide(user: Any, patient: Patient) -> Decision:
    """Whether ``user`` may see ``patient``, and on which basis (the first that holds)."""
    staff = staff_of(user)
    if staff is None:
        return Decision(False, reason="not signed in as a member of staff")
    if not has_permission(user, Permission.VIEW_PATIENT_RECORD):
        return Decision(False, reason=f"the {staff.get_role_display()} role cannot view records")
    one = person_model().objects.filter(pk=patient.pk)
    for basis, condition in _relationship_conditions(staff):
        if one.filter(condition).exists():
            return Decision(True, basis=basis)
    return Decision(False, reason="no legitimate relationship with this person")


def access_patient(
    user: Any, patient_id: int, purpose: Purpose, *, action: str = AuditAction.VIEW
) -> tuple[Patient, Decision]:
    """Load one person's record for ``purpose``, audited; raise NoAccess when not allowed.

    A refused attempt is audited too, without revealing whether the person exists.
    """
    patient = person_model().objects.filter(pk=patient_id).first()
    decision = decide(user, patient) if patient else Decision(False, reason="no such person")
    if not decision.allowed or patient is None:
        audit.record(
            user=user,
            action=AuditAction.DENIED,
            purpose=purpose,
            patient_id=patient.pk if patient else None,
            detail={"reason": decision.reason, "requested_id": patient_id},
        )
        raise NoAccess("You do not have access to this person's record")
    audit.record(
        user=user, action=action, purpose=purpose, patient_id=patient.pk, basis=decision.basis
    )
    return patient, decision


UNKNOWN_PERSON = "No person with this NHS number and date of birth is known to Wraparound"


def identify_patient(
    nhs_number: str, date_of_birth: dt.date, *, purpose: Purpose, by: Actor
) -> Patient | None:
    """The one way to find a person by identifier: NHS number *and* date of birth, audited.

    Both must match, so a mistyped number cannot pick out someone else, and a number alone
    tells nobody who a person is. Finding someone is not seeing their record: that is still
    ``access_patient``'s decision. Found or not, the attempt is recorded.
    """
    patient = (
        person_model().objects.filter(nhs_number=nhs_number, date_of_birth=date_of_birth).first()
    )
    audit.record(
        user=by,
        action=AuditAction.IDENTIFY,
        purpose=purpose,
        patient_id=patient.pk if patient else None,
        detail={"found": patient is not None},
    )
    return patient
