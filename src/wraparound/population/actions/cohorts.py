"""Saving a cohort: a named definition, one name per organisation (saving again under the
same name replaces it), audited with the definition."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission

from ..cohorts import CohortQuery
from ..models import Cohort


@transaction.atomic
def save_cohort(*, name: str, query: CohortQuery, by: Actor) -> Cohort:
    require_actor(by)
    staff = staff_of(by)
    if staff is None or not has_permission(by, Permission.VIEW_METRICS):
        raise NoAccess("Cohorts are saved by those who read the place's figures")
    name = name.strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": "Give the cohort a name (120 characters at most)"})
    query.check()
    cohort, created = Cohort.objects.update_or_create(
        organisation=staff.organisation,
        name=name,
        defaults={"definition": query.as_json(), "saved_by": by, "saved_at": timezone.now()},
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        purpose=Purpose.COHORT_SAVED,
        detail={"cohort": cohort.pk, "name": name, "definition": query.as_json()},
    )
    return cohort
