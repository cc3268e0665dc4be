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
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet

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


def fallback_services(
    person: PersonSnapshot, when: dt.datetime, *, radius_km: float
) -> list[ServiceSnapshot]:
    """The services offered when nothing fits (emergency departments): those near the person,
    or every one when none is near."""
    fallbacks = Service.objects.filter(active=True, is_fallback=True)
    near = snapshots(fallbacks.filter(_in_search_area(person, radius_km)), [], when)
    return near or snapshots(fallbacks, [], when)


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


def _sql_of(model: type[Model], columns: str, where: str = "") -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"SELECT service_id, {columns} FROM {table} WHERE service_id IN ({{ids}}){where}"


def _related_queries() -> dict[str, str]:
    """Flat SELECTs for the related tables: written once, since the ORM would rebuild each one
    per search, and that costs more than running them."""
    return {
        "needs": _sql_of(ServiceNeed, "need", " AND need IN ({needs})"),
        "areas": _sql_of(Service.neighbourhoods.through, "neighbourhood_id"),
        "practices": _sql_of(Service.practices.through, "organisation_id"),
        "sessions": _sql_of(OpeningSession, "day, opens, closes"),
        "dates": _sql_of(OpeningDate, "date, opens, closes", " AND date BETWEEN %s AND %s"),
        "conditions": _sql_of(ConditionRule, "kind, code, display"),
    }


@lru_cache(maxsize=256)
def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _as_time(value: Any) -> dt.time | None:
    """SQLite hands times back as text to a raw cursor; PostgreSQL as times."""
    return _time(value) if isinstance(value, str) else value


def _as_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _related(ids: list[int], needs: list[str], when: dt.datetime) -> dict[str, Any]:
    today = when.astimezone(LONDON).date()
    marks = ", ".join(["%s"] * len(ids))
    need_marks = ", ".join(["%s"] * len(needs)) or "NULL"
    found: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for name, sql in _related_queries().items():
            params: list[Any] = list(ids)
            if name == "needs":
                params += needs
            if name == "dates":
                params += [today - dt.timedelta(days=1), today + dt.timedelta(days=21)]
            cursor.execute(sql.format(ids=marks, needs=need_marks), params)
            found[name] = _grouped(cursor.fetchall())
    found["sessions"] = {
        pk: [(day, _as_time(o), _as_time(c)) for day, o, c in rows]
        for pk, rows in found["sessions"].items()
    }
    found["dates"] = {
        pk: [(_as_date(d), _as_time(o), _as_time(c)) for d, o, c in rows]
        for pk, rows in found["dates"].items()
    }
    return found


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
