"""Changes to staff records: atomic, audited with old and new values, by an administrator.

A member of staff's role decides what they may see, so changing it is as much an access
decision as breaking the glass: it is recorded, with who changed it from what to what.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission

from .models import StaffMember

EDITABLE = {"role", "team", "organisation", "profession", "band", "contracted_hours"}


def _shown(value: Any) -> Any:
    return getattr(value, "pk", value) if value is not None else None


@transaction.atomic
def update_staff_member(*, staff_id: int, by: Actor, **changes: Any) -> StaffMember:
    """Change a staff record's ``EDITABLE`` fields; only an administrator may."""
    if not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Only an administrator changes staff records")
    if unknown := set(changes) - EDITABLE:
        raise ValidationError({f: "cannot be changed here" for f in sorted(unknown)})
    member = StaffMember.objects.select_for_update().filter(pk=staff_id).first()
    if member is None:
        raise ValidationError({"staff": "No such member of staff"})
    before = {name: _shown(getattr(member, name)) for name in changes}
    for name, value in changes.items():
        setattr(member, name, value)
    member.full_clean()
    member.save(update_fields=sorted(changes))
    after = {name: _shown(getattr(member, name)) for name in changes}
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.STAFF_RECORD_CHANGED,
        basis="administrator",
        detail={
            "staff_id": member.pk,
            "username": member.user.get_username(),
            "changes": audit.changes(before, after),
        },
    )
    return member
