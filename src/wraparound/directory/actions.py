"""Every change to the directory. A provider changes only its own services; each change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.needs import Need
from wraparound.organisations.models import Team

from .models import (
    DOS_SERVICE_TYPE,
    Capacity,
    ConditionRule,
    Gap,
    OpeningDate,
    OpeningSession,
    Service,
    ServiceNeed,
    ServiceType,
)
from .search import SearchResult

EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "active",
        "bookable",
        "min_age",
        "max_age",
        "sex",
        "consent_required",
        "offers_two_hour",
        "offers_two_day",
        "routine_within_days",
        "open_24_7",
        "capacity_stale_after_minutes",
    }
)


class NotYourService(NoAccess):
    """Only the provider's own service managers change its services."""


def check_can_manage(user: Any, service: Service) -> None:
    """Raise NotYourService unless ``user`` manages services for the service's provider."""
    if not has_permission(user, Permission.MANAGE_SERVICES, organisation=service.provider):
        raise NotYourService(f"Only {service.provider.name} can change {service.name}")


def _audit(by: Actor, service: Service, purpose: Purpose, detail: dict[str, Any]) -> None:
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=purpose,
        detail={"service_id": service.pk, "service": service.name, **detail},
    )


def _profiled_needs(needs: Iterable[str]) -> list[str]:
    """The needs a service is profiled for, checked against the one list of needs. "Other"
    describes nothing a service could promise to meet, so no service is profiled for it."""
    chosen = sorted(set(needs))
    if bad := [n for n in chosen if n not in Need.values or n == Need.OTHER]:
        raise ValidationError({"needs": f"not needs a service can meet: {', '.join(bad)}"})
    return chosen


@transaction.atomic
def create_service(
    *, team: Team, name: str, service_type: str, needs: Iterable[str], by: Actor, **fields: Any
) -> Service:
    """A new service of ``team``'s organisation, recorded with its national DoS service type."""
    if service_type not in ServiceType.values:
        raise ValidationError({"service_type": f"'{service_type}' is not a service type"})
    needs = _profiled_needs(needs)
    if unknown := set(fields) - EDITABLE_FIELDS:
        raise ValidationError({f: "cannot be set here" for f in sorted(unknown)})
    if not has_permission(by, Permission.MANAGE_SERVICES, organisation=team.organisation):
        raise NotYourService(f"Only {team.organisation.name} can add services for {team.name}")
    service = Service(
        provider=team.organisation,
        team=team,
        name=name,
        service_type=service_type,
        dos_service_type_id=DOS_SERVICE_TYPE[service_type],
        latitude=team.base_latitude,
        longitude=team.base_longitude,
        **fields,
    )
    service.full_clean()
    service.save()
    ServiceNeed.objects.bulk_create(ServiceNeed(service=service, need=n) for n in needs)
    _audit(by, service, Purpose.SERVICE_ADDED, {"needs": needs})
    return service


@transaction.atomic
def update_service(*, service_id: int, by: Actor, **changes: Any) -> Service:
    """Change a service's details; only its provider may."""
    service = Service.objects.select_for_update().select_related("provider").get(pk=service_id)
    check_can_manage(by, service)
    if unknown := set(changes) - EDITABLE_FIELDS:
        raise ValidationError({f: "cannot be changed here" for f in sorted(unknown)})
    before = {name: getattr(service, name) for name in changes}
    for name, value in changes.items():
        setattr(service, name, value)
    service.full_clean()
    service.save(update_fields=sorted(changes))
    after = {name: getattr(service, name) for name in changes}
    _audit(by, service, Purpose.SERVICE_DETAILS_CHANGED, {"changes": audit.changes(before, after)})
    return service


@transaction.atomic
def update_profile(
    *,
    service_id: int,
    by: Actor,
    needs: Iterable[str] | None = None,
    neighbourhood_ids: Iterable[int] | None = None,
    practice_ids: Iterable[int] | None = None,
    weekly: Iterable[tuple[int, dt.time, dt.time]] | None = None,
    dates: Iterable[tuple[dt.date, dt.time | None, dt.time | None]] | None = None,
    conditions: Iterable[tuple[str, str, str]] | None = None,
) -> Service:
    """Replace what a service meets, where it covers, its hours or its condition rules.

    Each argument left out is left as it is. ``weekly`` is (day 0-6 or 7 for bank holidays,
    opens, closes); ``dates`` is (date, opens, closes), no times meaning closed; ``conditions``
    is ("include" or "exclude", SNOMED CT code, display).
    """
    service = Service.objects.select_for_update().select_related("provider").get(pk=service_id)
    check_can_manage(by, service)
    before = _profile_of(service)
    _replace_profile(
        service,
        needs=needs,
        neighbourhood_ids=neighbourhood_ids,
        practice_ids=practice_ids,
        weekly=weekly,
        dates=dates,
        conditions=conditions,
    )
    changes = audit.changes(before, _profile_of(service))
    _audit(by, service, Purpose.SERVICE_PROFILE_CHANGED, {"changes": changes})
    return service


def _profile_of(service: Service) -> dict[str, Any]:
    """What ``update_profile`` can change, as plain values an audit event can hold."""

    def clock(t: dt.time | None) -> str | None:
        return t.isoformat("minutes") if t else None

    return {
        "needs": sorted(service.needs.values_list("need", flat=True)),
        "neighbourhoods": sorted(service.neighbourhoods.values_list("pk", flat=True)),
        "practices": sorted(service.practices.values_list("pk", flat=True)),
        "weekly hours": sorted(
            [s.day, clock(s.opens), clock(s.closes)] for s in service.sessions.all()
        ),
        "dates": sorted(
            [d.date.isoformat(), clock(d.opens), clock(d.closes)] for d in service.dates.all()
        ),
        "conditions": sorted([r.kind, r.code, r.display] for r in service.condition_rules.all()),
    }


def _replace_profile(
    service: Service,
    *,
    needs: Iterable[str] | None,
    neighbourhood_ids: Iterable[int] | None,
    practice_ids: Iterable[int] | None,
    weekly: Iterable[tuple[int, dt.time, dt.time]] | None,
    dates: Iterable[tuple[dt.date, dt.time | None, dt.time | None]] | None,
    conditions: Iterable[tuple[str, str, str]] | None,
) -> None:
    """The doing half of ``update_profile``: replace each part given, validated first."""
    if needs is not None:
        needs = _profiled_needs(needs)
        service.needs.all().delete()
        ServiceNeed.objects.bulk_create(ServiceNeed(service=service, need=n) for n in needs)
    if neighbourhood_ids is not None:
        service.neighbourhoods.set(list(neighbourhood_ids))
    if practice_ids is not None:
        service.practices.set(list(practice_ids))
    if weekly is not None:
        sessions = [OpeningSession(service=service, day=d, opens=o, closes=c) for d, o, c in weekly]
        for session in sessions:
            session.full_clean(exclude=["service"])
        service.sessions.all().delete()
        OpeningSession.objects.bulk_create(sessions)
    if dates is not None:
        rows = [OpeningDate(service=service, date=d, opens=o, closes=c) for d, o, c in dates]
        for row in rows:
            row.full_clean(exclude=["service"])
        service.dates.all().delete()
        OpeningDate.objects.bulk_create(rows)
    if conditions is not None:
        rules = [
            ConditionRule(service=service, kind=kind, code=code, display=display)
            for kind, code, display in conditions
        ]
        for rule in rules:
            rule.full_clean(exclude=["service"])
        service.condition_rules.all().delete()
        ConditionRule.objects.bulk_create(rules)


@transaction.atomic
def update_capacity(
    *,
    service_id: int,
    capacity: str,
    free_slots: int | None,
    by: Actor,
    when: dt.datetime | None = None,
    next_start: dt.date | None = None,
) -> Service:
    """The service says how much it can take now (RAG, free slots or beds) and, when it cannot
    start anyone new today, the first day it can; stamped with the time."""
    if capacity not in Capacity.values:
        raise ValidationError({"capacity": f"'{capacity}' is not green, amber or red"})
    if free_slots is not None and free_slots < 0:
        raise ValidationError({"free_slots": "cannot be negative"})
    when = when or timezone.now()
    if next_start is not None and next_start < timezone.localdate(when):
        raise ValidationError({"next_start": "The first start cannot be in the past"})
    service = Service.objects.select_for_update().select_related("provider").get(pk=service_id)
    check_can_manage(by, service)
    if service.capacity_is_live:
        raise ValidationError(
            {"capacity": "This service's capacity is read from its census or rota, not typed"}
        )
    return _set_capacity(service, capacity, free_slots, when, by, "typed", next_start)


def _capacity_said(service: Service) -> dict[str, Any]:
    """What a service says of its capacity, as the audit trail records it."""
    return {
        "capacity": service.capacity,
        "free_slots": service.free_slots,
        "next_start": service.next_start and service.next_start.isoformat(),
    }


def _set_capacity(
    service: Service,
    capacity: str,
    free_slots: int | None,
    when: dt.datetime,
    by: Actor,
    source: str,
    next_start: dt.date | None = None,
) -> Service:
    before = _capacity_said(service)
    service.capacity = capacity
    service.free_slots = free_slots
    service.capacity_set_at = when
    service.next_start = next_start
    service.save(update_fields=["capacity", "free_slots", "capacity_set_at", "next_start"])
    _audit(
        by,
        service,
        Purpose.SERVICE_CAPACITY_CHANGED,
        {"source": source, "changes": audit.changes(before, _capacity_said(service))},
    )
    return service


@transaction.atomic
def record_live_capacity(
    *, service_id: int, capacity: str, free_slots: int, source: str, by: Actor, when: dt.datetime
) -> Service:
    """Capacity read from a census or rota (``source`` says which), as true at ``when``.

    No manager's permission: the admission, discharge or rota that moved it was the
    permitted act, and its actor is recorded here as the one who moved the capacity.
    """
    if capacity not in Capacity.values:
        raise ValidationError({"capacity": f"'{capacity}' is not green, amber or red"})
    if free_slots < 0:
        raise ValidationError({"free_slots": "cannot be negative"})
    service = Service.objects.select_for_update().get(pk=service_id)
    if not service.capacity_is_live:
        raise ValidationError({"service": f"{service}'s capacity is typed by the service"})
    return _set_capacity(service, capacity, free_slots, when, by, source)


def _age_band(age: int) -> str:
    if age >= 85:
        return "85+"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


@transaction.atomic
def record_gaps(result: SearchResult, *, by: Actor) -> list[Gap]:
    """Record, for commissioners, each service that failed exactly one rule in this search.

    Only staff searching the directory record gaps, and each gap names who searched. It
    stores no one's identity: the neighbourhood and a five-year age band only.
    """
    if staff_of(require_actor(by)) is None:
        raise NoAccess("Only staff searching the directory record its gaps")
    gaps = [
        Gap(
            service_id=exclusion.service.id,
            rule=exclusion.failures[0].rule,
            reason=exclusion.failures[0].reason[:300],
            needs=sorted(result.request.needs),
            urgency=result.request.urgency,
            searched_at=result.request.when,
            neighbourhood_id=result.person.neighbourhood_id,
            age_band=_age_band(result.person.age),
            recorded_by=by,
        )
        for exclusion in result.excluded
        if len(exclusion.failures) == 1
    ]
    return Gap.objects.bulk_create(gaps)
