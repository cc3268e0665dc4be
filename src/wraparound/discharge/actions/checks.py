"""Who may change a hospital's stays: the checks the actions (and the pages) share."""

from __future__ import annotations

from wraparound.access.actors import Actor
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.roles import Permission
from wraparound.organisations.models import Organisation, OrganisationKind


def hospital_of(by: Actor) -> Organisation:
    """The hospital whose discharge staff ``by`` is; NoAccess (403) for anyone else."""
    staff = staff_of(by)
    if (
        staff is None
        or not has_permission(by, Permission.RECORD_HOSPITAL_STAYS)
        or staff.organisation.kind != OrganisationKind.ACUTE_TRUST
    ):
        raise NoAccess("The hospital's list is for its own discharge staff")
    return staff.organisation
