"""Who is sent to a faller: the nearest free volunteer responder for level 1, the nearest
urgent-response crew on shift for level 2 (or for level 1 when no volunteer is free).

Called only from ``actions``, inside their transaction; the responder sent is marked busy
until the call ends, so two calls never send the same person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from wraparound.caseload.models import Patient
from wraparound.directory.models import Service, ServiceType
from wraparound.directory.search import distance_km
from wraparound.workforce.models import Profession, Shift, StaffMember

from .models import FallCall, FallLevel, Responder

T = TypeVar("T")

# Staff who are not a crew: they do not go out to people.
NOT_A_CREW = frozenset(
    {
        Profession.MANAGER,
        Profession.ANALYST,
        Profession.ADMINISTRATOR,
        Profession.CARE_COORDINATOR,
        Profession.VOLUNTEER_COORDINATOR,
    }
)


def urgent_response_services() -> QuerySet[Service]:
    return Service.objects.filter(
        active=True, service_type=ServiceType.URGENT_COMMUNITY_RESPONSE
    ).select_related("team")


def _on_shift(when: dt.datetime) -> Q:
    local = timezone.localtime(when)
    return Q(
        shifts__date=local.date(),
        shifts__starts_at__lte=local.time(),
        shifts__ends_at__gt=local.time(),
    )


def crews_on_shift(team_ids: Iterable[int], when: dt.datetime) -> QuerySet[StaffMember]:
    """Urgent-response staff on shift at ``when`` and not out at a fall call now."""
    busy = FallCall.objects.filter(closed_at__isnull=True, crew__isnull=False).values("crew_id")
    return (
        StaffMember.objects.filter(team_id__in=list(team_ids))
        .filter(_on_shift(when))
        .exclude(profession__in=NOT_A_CREW)
        .exclude(pk__in=busy)
        .select_related("user")
        .distinct()
    )


def crews_on_shift_now(when: dt.datetime) -> list[tuple[Service, int]]:
    """Each live urgent-response service and its crews on shift at ``when``."""
    services = list(urgent_response_services().filter(capacity_is_live=True))
    on = Counter(
        crews_on_shift({s.team_id for s in services}, when).values_list("team_id", flat=True)
    )
    return [(s, on[s.team_id]) for s in services]


def _nearest(
    candidates: Iterable[T], where: Patient, at: Callable[[T], tuple[float, float]]
) -> T | None:
    best: tuple[float, T] | None = None
    for candidate in candidates:
        lat, lon = at(candidate)
        d = distance_km(where.latitude, where.longitude, lat, lon)
        if best is None or d < best[0]:
            best = (d, candidate)
    return best[1] if best else None


def _send_crew(call: FallCall, faller: Patient, now: dt.datetime) -> StaffMember | None:
    teams = {s.team_id for s in urgent_response_services()}
    crews = [c for c in crews_on_shift(teams, now) if c.base_latitude is not None]
    return _nearest(crews, faller, lambda c: (c.base_latitude or 0.0, c.base_longitude or 0.0))


def send_help(call: FallCall, faller: Patient, now: dt.datetime) -> str:
    """Choose who goes, set it on ``call`` (the caller saves), and say what was done."""
    call.dispatched_at = now
    if call.level == FallLevel.UNINJURED:
        free = Responder.objects.select_for_update(skip_locked=True).filter(available=True)
        responder = _nearest(
            free.select_related("staff__user"), faller, lambda r: (r.latitude, r.longitude)
        )
        if responder is not None:
            responder.available = False
            responder.changed_at = now
            responder.save(update_fields=["available", "changed_at"])
            call.responder = responder
            call.dispatch_note = f"Volunteer responder {responder} sent"
            return "responder"
        call.dispatch_note = "No volunteer responder free: "
    crew = _send_crew(call, faller, now)
    if crew is not None:
        call.crew = crew
        call.dispatch_note += f"Urgent-response crew {crew} sent"
        return "crew"
    call.dispatched_at = None
    call.dispatch_note += "No urgent-response crew on shift: pass the call to 999"
    return "none"


def release(call: FallCall, now: dt.datetime) -> None:
    """The call has ended: its responder can be sent again."""
    if call.responder_id is not None:
        Responder.objects.filter(pk=call.responder_id).update(available=True, changed_at=now)


def shifts_between(
    team_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[Shift]:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    return Shift.objects.filter(
        staff__team_id__in=list(team_ids),
        date__gte=local_start.date(),
        date__lte=local_end.date(),
    ).exclude(staff__profession__in=NOT_A_CREW)
