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
from wraparound.organisations.models import Neighbourhood, Organisation, Team

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
    "next_start",
    "bookable",
    "is_fallback",
)


def _person_sql() -> str:
    codes = "code"
    agg = (
        f"STRING_AGG({codes}, ';')"
        if connection.vendor == "postgresql"
        else f"GROUP_CONCAT({codes}, ';')"
    )
    return (
        f"SELECT n.name, o.name,"
        f" (SELECT scope FROM {_table(ConsentDecision)}"
        f" WHERE patient_id = p.id AND is_current = %s),"
        f" (SELECT {agg} FROM {_table(Condition)} WHERE patient_id = p.id AND system = %s)"
        f" FROM {_table(Patient)} p"
        f" LEFT JOIN {_table(Neighbourhood)} n ON n.id = p.neighbourhood_id"
        f" LEFT JOIN {_table(Organisation)} o ON o.id = p.registered_practice_id"
        f" WHERE p.id = %s"
    )


def person_snapshot(patient: Patient, on: dt.date) -> PersonSnapshot:
    """What the rules need to know of a person (already loaded through the access door)."""
    with connection.cursor() as cursor:
        cursor.execute(_person_sql(), [True, str(CodeSystem.SNOMED_CT), patient.pk])
        neighbourhood, practice, consent, codes = cursor.fetchone()
    return PersonSnapshot(
        age=patient.age_on(on),
        sex=patient.sex,
        latitude=patient.latitude,
        longitude=patient.longitude,
        neighbourhood_id=patient.neighbourhood_id,
        neighbourhood_name=neighbourhood or "",
        practice_id=patient.registered_practice_id,
        practice_name=practice or "",
        condition_codes=frozenset(codes.split(";")) if codes else frozenset(),
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
    return str(connection.ops.quote_name(name))


def _table(model: type[Model]) -> str:
    return _q(model._meta.db_table)


def _in(count: int) -> str:
    """``IN (%s, ...)`` for ``count`` values; on PostgreSQL one array parameter, unnested so
    that the planner does not estimate each of hundreds of ids (which cost more than the query)."""
    if connection.vendor == "postgresql":
        return "IN (SELECT unnest(%s))"
    return f"IN ({', '.join(['%s'] * count)})"


def _any(count: int) -> str:
    """``IN`` for a few values (needs): on PostgreSQL ``= ANY`` of one array parameter."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)"
    return f"IN ({', '.join(['%s'] * count)})"


def _values(values: list[Any]) -> list[Any]:
    """The parameters for ``_in``."""
    return [values] if connection.vendor == "postgresql" else values


def _area_sql() -> str:
    """Ids of the services in the search area: near the person, or covering them."""
    return (
        f"SELECT id FROM {_table(Service)}"
        f" WHERE latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s"
        f" UNION SELECT service_id FROM {_table(Service.neighbourhoods.through)}"
        f" WHERE neighbourhood_id = %s"
        f" UNION SELECT service_id FROM {_table(Service.practices.through)}"
        f" WHERE organisation_id = %s"
    )


def _candidates_sql(ids: str, needs: int) -> str:
    """The services ``ids`` selects (SQL), active, offering any of the needs, with what the
    rules read."""
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
    return (
        f"SELECT {', '.join(columns)} FROM {_table(Service)} s"
        f" JOIN {_table(Organisation)} o ON o.id = s.provider_id"
        f" JOIN {_table(Team)} t ON t.id = s.team_id"
        f" WHERE {ids}"
        f" AND s.active = %s AND s.is_fallback = %s"
        f" AND EXISTS (SELECT 1 FROM {_table(ServiceNeed)} n"
        f" WHERE n.need {_any(needs)} AND n.service_id = s.id)"
    )


def candidate_services(
    person: PersonSnapshot, needs: Iterable[str], when: dt.datetime, *, radius_km: float
) -> list[ServiceSnapshot]:
    """Active services in the search area that offer at least one of ``needs``.

    Given the area as an ``IN`` subquery, PostgreSQL scans every service: there it goes as an
    array the planner cannot see into (one round trip); SQLite is given the ids (two).
    """
    needs = sorted(set(needs))
    area = [*_box(person, radius_km), person.neighbourhood_id, person.practice_id]
    tail = [True, False, *_values(needs)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _candidates_sql(f"s.id = ANY(ARRAY({_area_sql()}))", len(needs)), area + tail
            )
        else:
            cursor.execute(_area_sql(), area)
            ids = [pk for (pk,) in cursor.fetchall()]
            if not ids:
                return []
            cursor.execute(_candidates_sql(f"s.id {_in(len(ids))}", len(needs)), ids + tail)
        rows = [dict(zip(_SERVICE_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["capacity_set_at"] = _as_aware(row["capacity_set_at"])
        row["next_start"] = row["next_start"] and _as_date(row["next_start"])
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


def _weekly_text_sql() -> str:
    session = "CAST(day AS TEXT) || ' ' || CAST(opens AS TEXT) || ' ' || CAST(closes AS TEXT)"
    if connection.vendor == "postgresql":
        return f"STRING_AGG({session}, ';')"
    return f"GROUP_CONCAT({session}, ';')"


def _related_sql(ids: int, needs: int) -> str:
    """One round trip for everything the rules read beyond the service row, as text.

    Each branch is tagged; a week of opening sessions comes as one row per service, since
    services share a few patterns and each is parsed once.
    """
    marks = _in(ids)
    branches = [
        f"SELECT 1, service_id, CAST(neighbourhood_id AS TEXT), NULL, NULL"
        f" FROM {_table(Service.neighbourhoods.through)} WHERE service_id {marks}",
        f"SELECT 2, service_id, CAST(organisation_id AS TEXT), NULL, NULL"
        f" FROM {_table(Service.practices.through)} WHERE service_id {marks}",
        f"SELECT 3, service_id, {_weekly_text_sql()}, NULL, NULL"
        f" FROM {_table(OpeningSession)} WHERE service_id {marks} GROUP BY service_id",
        f"SELECT 4, service_id, CAST(date AS TEXT), CAST(opens AS TEXT), CAST(closes AS TEXT)"
        f" FROM {_table(OpeningDate)} WHERE service_id {marks} AND date BETWEEN %s AND %s",
        f"SELECT 5, service_id, kind, code, display"
        f" FROM {_table(ConditionRule)} WHERE service_id {marks}",
    ]
    if needs:
        branches.insert(
            0,
            f"SELECT 0, service_id, need, NULL, NULL FROM {_table(ServiceNeed)}"
            f" WHERE service_id {marks} AND need {_any(needs)}",
        )
    return " UNION ALL ".join(branches)


@lru_cache(maxsize=1024)
def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _as_aware(value: Any) -> dt.datetime | None:
    """SQLite hands a raw cursor naive UTC text; PostgreSQL aware datetimes."""
    at: dt.datetime | None = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at


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
    each = _values(ids)
    params: list[Any] = [*each, *_values(needs)] if needs else []
    params += [*each, *each, *each, *each, today - dt.timedelta(days=1)]
    params += [today + dt.timedelta(days=21), *each]
    found: dict[str, Any] = {
        name: defaultdict(list)
        for name in ("needs", "areas", "practices", "sessions", "dates", "conditions")
    }
    with connection.cursor() as cursor:
        cursor.execute(_related_sql(len(ids), len(needs)), params)
        rows = cursor.fetchall()
    for tag, pk, a, b, c in rows:
        if tag == 0:
            found["needs"][pk].append(a)
        elif tag == 1:
            found["areas"][pk].append(int(a))
        elif tag == 2:
            found["practices"][pk].append(int(a))
        elif tag == 3:
            found["sessions"][pk] = _weekly(a)
        elif tag == 4:
            found["dates"][pk].append(
                (_as_date(a), _time(b) if b else None, _time(c) if c else None)
            )
        else:
            found["conditions"][pk].append((a, b, c))
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
        needs=frozenset(related["needs"].get(pk, ())),
        min_age=row["min_age"],
        max_age=row["max_age"],
        sex=row["sex"],
        neighbourhood_ids=frozenset(related["areas"].get(pk, ())),
        practice_ids=frozenset(related["practices"].get(pk, ())),
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
        next_start=row["next_start"],
        bookable=row["bookable"],
        is_fallback=row["is_fallback"],
    )
