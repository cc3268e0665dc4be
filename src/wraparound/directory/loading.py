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
from wraparound.organisations.models import Organisation, Team

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


def _box(person: PersonSnapshot, radius_km: float) -> tuple[float, float, float, float]:
    """The latitude and longitude ranges that hold every point within ``radius_km``."""
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(person.latitude))))
    return (
        person.latitude - dlat,
        person.latitude + dlat,
        person.longitude - dlon,
        person.longitude + dlon,
    )


def _in_search_area(person: PersonSnapshot, radius_km: float) -> Q:
    south, north, west, east = _box(person, radius_km)
    area = Q(latitude__range=(south, north), longitude__range=(west, east))
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


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[Model]) -> str:
    return _q(model._meta.db_table)


def _candidates_sql(needs: int) -> str:
    """Services in the search area offering any of the needs, driven by the location index.

    Written as SQL: the ORM's OR of subqueries leads both databases to scan every service that
    offers a common need, and building the query cost more than running it.
    """
    columns = []
    for name in _SERVICE_FIELDS:
        if name == "pk":
            columns.append("s.id")
        elif name == "provider__name":
            columns.append("o.name")
        elif name == "team__name":
            columns.append("t.name")
        elif name == "capacity_set_at":  # as text: parsed faster than the driver converts it
            columns.append("CAST(s.capacity_set_at AS TEXT)")
        else:
            columns.append("s." + _q(Service._meta.get_field(name).column))
    marks = ", ".join(["%s"] * needs)
    return (
        f"SELECT {', '.join(columns)} FROM {_table(Service)} s"
        f" JOIN {_table(Organisation)} o ON o.id = s.provider_id"
        f" JOIN {_table(Team)} t ON t.id = s.team_id"
        f" WHERE s.id IN ("
        f"SELECT id FROM {_table(Service)}"
        f" WHERE latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s"
        f" UNION SELECT service_id FROM {_table(Service.neighbourhoods.through)}"
        f" WHERE neighbourhood_id = %s"
        f" UNION SELECT service_id FROM {_table(Service.practices.through)}"
        f" WHERE organisation_id = %s)"
        f" AND s.active = %s AND s.is_fallback = %s"
        f" AND EXISTS (SELECT 1 FROM {_table(ServiceNeed)} n"
        f" WHERE n.need IN ({marks}) AND n.service_id = s.id)"
    )


def candidate_services(
    person: PersonSnapshot, needs: Iterable[str], when: dt.datetime, *, radius_km: float
) -> list[ServiceSnapshot]:
    """Active services in the search area that offer at least one of ``needs``."""
    needs = sorted(set(needs))
    params = [
        *_box(person, radius_km),
        person.neighbourhood_id,
        person.practice_id,
        True,
        False,
        *needs,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(len(needs)), params)
        rows = [dict(zip(_SERVICE_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["capacity_set_at"] = _as_aware(row["capacity_set_at"])
    return snapshots_of_rows(rows, needs, when)


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
    """Snapshots of ``services`` with what the rules read."""
    return snapshots_of_rows(list(services.order_by().values(*_SERVICE_FIELDS)), needs, when)


def snapshots_of_rows(
    rows: list[dict[str, Any]], needs: Iterable[str], when: dt.datetime
) -> list[ServiceSnapshot]:
    """Snapshots of service rows, in one query per related table.

    Only the needs asked about are loaded (the rules compare those), and only the specified
    dates near ``when``.
    """
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
    table = _table(model)
    return f"SELECT service_id, {columns} FROM {table} WHERE service_id IN ({{ids}}){where}"


def _weekly_text_sql() -> str:
    session = "CAST(day AS TEXT) || ' ' || CAST(opens AS TEXT) || ' ' || CAST(closes AS TEXT)"
    if connection.vendor == "postgresql":
        return f"STRING_AGG({session}, ';')"
    return f"GROUP_CONCAT({session}, ';')"


def _related_queries() -> dict[str, str]:
    """Flat SELECTs for the related tables: written once, since the ORM would rebuild each one
    per search, and that costs more than running them."""
    return {
        "needs": _sql_of(ServiceNeed, "need", " AND need IN ({needs})"),
        "areas": _sql_of(Service.neighbourhoods.through, "neighbourhood_id"),
        "practices": _sql_of(Service.practices.through, "organisation_id"),
        # One row per service, the week as text: services share a few patterns, each parsed once.
        "sessions": _sql_of(OpeningSession, _weekly_text_sql(), " GROUP BY service_id"),
        "dates": _sql_of(OpeningDate, "date, opens, closes", " AND date BETWEEN %s AND %s"),
        "conditions": _sql_of(ConditionRule, "kind, code, display"),
    }


@lru_cache(maxsize=1024)
def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _as_time(value: Any) -> dt.time | None:
    """SQLite hands times back as text to a raw cursor; PostgreSQL as times."""
    return _time(value) if isinstance(value, str) else value


def _as_aware(value: Any) -> dt.datetime | None:
    """SQLite hands a raw cursor naive UTC text; PostgreSQL aware datetimes."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _as_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _weekly(text: str) -> tuple[WeeklySession, ...]:
    """A week of sessions from "0 08:00:00 18:00:00;1 08:00:00 18:00:00;..." (in any order)."""
    return _parsed_week(";".join(sorted(text.split(";"))))


@lru_cache(maxsize=4096)
def _parsed_week(text: str) -> tuple[WeeklySession, ...]:
    sessions = []
    for session in text.split(";"):
        day, opens, closes = session.split(" ")
        sessions.append(WeeklySession(int(day), _time(opens), _time(closes)))
    return tuple(sessions)


@lru_cache(maxsize=4096)
def _hours(
    always_open: bool, weekly: tuple[WeeklySession, ...], dates: tuple[DateHours, ...]
) -> OpeningHours:
    """One OpeningHours per distinct pattern, so that its opening times are worked out once."""
    return OpeningHours(always_open=always_open, weekly=weekly, dates=dates)


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
    found["sessions"] = {pk: _weekly(text) for pk, [(text,)] in found["sessions"].items()}
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
        hours=_hours(
            bool(row["open_24_7"]),
            related["sessions"].get(pk, ()),
            tuple(DateHours(*d) for d in related["dates"].get(pk, ())),
        ),
        capacity=row["capacity"],
        free_slots=row["free_slots"],
        capacity_set_at=row["capacity_set_at"],
        capacity_stale_after=dt.timedelta(minutes=row["capacity_stale_after_minutes"]),
        bookable=row["bookable"],
        is_fallback=row["is_fallback"],
    )
