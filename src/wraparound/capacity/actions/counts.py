"""The counts the capacity board and the directory read: demand by hour, crews on shift."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.directory.actions import record_live_capacity
from wraparound.directory.models import ServiceType
from wraparound.referrals.models import Referral
from wraparound.referrals.triage import Urgency

from .. import dispatch
from ..models import (
    DemandHour,
)


@transaction.atomic
def record_demand_hours(*, by: Actor, first: dt.date, last: dt.date) -> int:
    """Count the 2-hour referrals that arrived in each clock hour from ``first`` to ``last``
    (local days), by the person's neighbourhood, replacing what was counted for those days.

    Run nightly for the day before (``wraparound capacity count-demand``): the board's
    demand profile reads these counts, not the referrals.
    """
    require_actor(by)
    if not isinstance(by, System) and not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Demand is counted by the system or an administrator")
    if last < first:
        raise ValidationError({"last": "The period must end on or after its first day"})
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(0), tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz)
    arrivals = Referral.objects.filter(
        urgency=Urgency.TWO_HOUR, received_at__gte=start, received_at__lt=end
    ).values_list("received_at", "patient__neighbourhood_id")
    counts: Counter[tuple[dt.datetime, int | None]] = Counter(
        (when.replace(minute=0, second=0, microsecond=0), place) for when, place in arrivals
    )
    kind = ServiceType.URGENT_COMMUNITY_RESPONSE
    DemandHour.objects.filter(
        service_type=kind, hour_starting__gte=start, hour_starting__lt=end
    ).delete()
    DemandHour.objects.bulk_create(
        DemandHour(service_type=kind, neighbourhood_id=n, hour_starting=h, arrivals=c)
        for (h, n), c in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.DEMAND_COUNTED,
        detail={"first": first.isoformat(), "last": last.isoformat(), "hours": len(counts)},
    )
    return len(counts)


@transaction.atomic
def record_crews_on_shift(*, by: Actor, now: dt.datetime | None = None) -> list[int]:
    """Write each urgent-response service's capacity from the crews on shift this hour.

    Run every hour (``wraparound capacity refresh``); a service not refreshed within its
    stale limit reads as capacity unknown in the directory.
    """
    require_actor(by)
    when = now or timezone.now()
    updated = []
    for service, crews in dispatch.crews_on_shift_now(when):
        record_live_capacity(
            service_id=service.pk,
            capacity="green" if crews >= 2 else "amber" if crews == 1 else "red",
            free_slots=crews,
            source="crews on shift",
            by=by,
            when=when,
        )
        updated.append(service.pk)
    return updated
