"""From the database to the plain snapshots the rules read: a handful of flat queries per search.

Services are pre-filtered in SQL only where it cannot hide a reason a user needs to see: a
service must offer at least one of the requested needs and be in the search area (its base
within the search radius, or covering the person's neighbourhood or practice). Everything else
is evaluated in Python, so every candidate that is excluded comes back with its reasons.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from wraparound.access.models import ConsentDecision
from wraparound.caseload.models import CodeSystem, Condition, Patient

from .eligibility import PersonSnapshot, ServiceSnapshot
from .models import ConditionRule, OpeningDate, OpeningSession, Service, ServiceNeed
from .opening import LONDON, DateHours, OpeningHours, WeeklySession

KM_PER_DEGREE_LATITUDE = 111.2

_SERVICE_FIELDS = (
    "pk",
    "name",
    "provider_id",
    "provider__name",
    "team__name",
    "service_type",
    "dos_service_type_id",
    "latitude",
    "longitude",
    "min_age",
    "max_age",
    "sex",
    "consent_required",
    "offers_two_hour",
    "offers_two_day",
    "routine_within_days",
    "open_24_7",
    "capacity",
    "free_slots",
    "capacity_set_at",
    "capacity_stale_after_minutes",
    "bookable",
    "is_fallback",
)


def person_snapshot(patient: Patient, on: dt.date) -> PersonSnapshot:
    """What the rules need to know of a person (already loaded through the access door)."""
    names = (
        Patient.objects.filter(pk=patient.pk)
        .values("neighbourhood__name", "registered_practice__name")
        .get()
    )
    codes = frozenset(
        Condition.objects.filter(patient_id=patient.pk, system=CodeSystem.SNOMED_CT).values_list(
            "code", flat=True
        )
    )
    consent = (
        ConsentDecision.objects.filter(patient_id=patient.pk, is_current=True)
        .values_list("scope", flat=True)
        .first()
    )
    return PersonSnapshot(
        age=patient.age_on(on),
        sex=patient.sex,
        latitude=patient.latitude,
        longitude=patient.longitude,
        neighbourhood_id=patient.neighbourhood_id,
        neighbourhood_name=names["neighbourhood__name"] or "",
        practice_id=patient.registered_practice_id,
        practice_name=names["registered_practice__name"] or "",
        condition_codes=codes,
        consent=consent,
        patient_id=patient.pk,
    )


def _in_search_area(person: PersonSnapshot, radius_km: float) -> Q:
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(person.latitude))))
    area = Q(
        latitude__range=(person.latitude - dlat, person.latitude + dlat),
        longitude__range=(person.longitude - dlon, person.longitude + dlon),
    )
    if person.neighbourhood_id is not None:
        area |= Q(
            pk__in=Service.neighbourhoods.through.objects.filter(
                neighbourhood_id=person.neighbourhood_id
            ).values("service_id")
        )
    if person.practice_id is not None:
        area |= Q(
            pk__in=Service.practices.through.objects.filter(
                organisation_id=person.practice_id
            ).values("service_id")
        )
    return area


def candidate_services(
    person: PersonSnapshot, needs: Iterable[str], when: dt.datetime, *, radius_km: float
) -> list[ServiceSnapshot]:
    """Active services in the search area that offer at least one of ``needs``."""
    needs = sorted(set(needs))
    services = Service.objects.filter(
        _in_search_area(person, radius_km),
        active=True,
        is_fallback=False,
        pk__in=ServiceNeed.objects.filter(need__in=needs).values("service_id"),
    )
    return snapshots(services, needs, when)


def fallback_services(when: dt.datetime) -> list[ServiceSnapshot]:
    """The services offered when nothing fits (emergency departments)."""
    return snapshots(Service.objects.filter(active=True, is_fallback=True), [], when)


def snapshots(
    services: QuerySet[Service], needs: Iterable[str], when: dt.datetime
) -> list[ServiceSnapshot]:
    """Snapshots of ``services`` with what the rules read, in one query per related table.

    Only the needs asked about are loaded (the rules compare those), and only the specified
    dates near ``when``.
    """
    rows = list(services.values(*_SERVICE_FIELDS))
    ids = [row["pk"] for row in rows]
    if not ids:
        return []
    related = _related(ids, list(needs), when)
    return [_snapshot(row, related) for row in rows]


def _grouped(pairs: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for service_id, *rest in pairs:
        grouped[service_id].append(tuple(rest))
    return grouped


def _related(ids: list[int], needs: list[str], when: dt.datetime) -> dict[str, Any]:
    today = when.astimezone(LONDON).date()
    through_areas = Service.neighbourhoods.through.objects
    through_practices = Service.practices.through.objects
    return {
        "needs": _grouped(
            ServiceNeed.objects.filter(service_id__in=ids, need__in=needs).values_list(
                "service_id", "need"
            )
        ),
        "areas": _grouped(
            through_areas.filter(service_id__in=ids).values_list("service_id", "neighbourhood_id")
        ),
        "practices": _grouped(
            through_practices.filter(service_id__in=ids).values_list(
                "service_id", "organisation_id"
            )
        ),
        "sessions": _grouped(
            OpeningSession.objects.filter(service_id__in=ids).values_list(
                "service_id", "day", "opens", "closes"
            )
        ),
        "dates": _grouped(
            OpeningDate.objects.filter(
                service_id__in=ids,
                date__range=(today - dt.timedelta(days=1), today + dt.timedelta(days=21)),
            ).values_list("service_id", "date", "opens", "closes")
        ),
        "conditions": _grouped(
            ConditionRule.objects.filter(service_id__in=ids).values_list(
                "service_id", "kind", "code", "display"
            )
        ),
    }


def _snapshot(row: dict[str, Any], related: dict[str, Any]) -> ServiceSnapshot:
    pk = row["pk"]
    conditions = related["conditions"].get(pk, [])
    return ServiceSnapshot(
        id=pk,
        name=row["name"],
        provider_id=row["provider_id"],
        provider_name=row["provider__name"],
        team_name=row["team__name"],
        service_type=row["service_type"],
        dos_service_type_id=row["dos_service_type_id"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        needs=frozenset(n for (n,) in related["needs"].get(pk, [])),
        min_age=row["min_age"],
        max_age=row["max_age"],
        sex=row["sex"],
        neighbourhood_ids=frozenset(n for (n,) in related["areas"].get(pk, [])),
        practice_ids=frozenset(p for (p,) in related["practices"].get(pk, [])),
        include_conditions={c: d for kind, c, d in conditions if kind == "include"},
        exclude_conditions={c: d for kind, c, d in conditions if kind == "exclude"},
        consent_required=row["consent_required"],
        offers_two_hour=row["offers_two_hour"],
        offers_two_day=row["offers_two_day"],
        routine_within_days=row["routine_within_days"],
        hours=OpeningHours(
            always_open=row["open_24_7"],
            weekly=tuple(WeeklySession(*s) for s in related["sessions"].get(pk, [])),
            dates=tuple(DateHours(*d) for d in related["dates"].get(pk, [])),
        ),
        capacity=row["capacity"],
        free_slots=row["free_slots"],
        capacity_set_at=row["capacity_set_at"],
        capacity_stale_after=dt.timedelta(minutes=row["capacity_stale_after_minutes"]),
        bookable=row["bookable"],
        is_fallback=row["is_fallback"],
    )
