"""Whether a user's role grants a permission: what every app checks before it acts.

It reads no one's record, so any app may use it; the door to a person's record
(``wraparound.door.policy``) is built on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from .roles import Permission, permissions_of

if TYPE_CHECKING:
    from wraparound.workforce.models import StaffMember


class NoAccess(PermissionDenied):
    """The user has no legitimate relationship with the person (or not the permission)."""


def staff_of(user: Any) -> StaffMember | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "staff_member", None)


def has_permission(user: Any, permission: Permission, **context: Any) -> bool:
    """Whether the user's role grants ``permission``; context narrows it (e.g. ``team=``)."""
    staff = staff_of(user)
    if staff is None:
        return False
    if permission not in permissions_of(staff.role):
        return False
    team = context.get("team")
    if team is not None and permission in {Permission.PLAN_TEAM_DAY, Permission.ACCEPT_REFERRALS}:
        return bool(staff.team_id == team.pk)
    organisation = context.get("organisation")
    if organisation is not None:
        return staff.organisation_id == organisation.pk
    return True
