"""Directory services for tests: built straight in the database, with needs, hours and rules."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from wraparound.directory.models import (
    DOS_SERVICE_TYPE,
    ConditionRule,
    OpeningDate,
    OpeningSession,
    Service,
    ServiceNeed,
    ServiceType,
)
from wraparound.organisations.models import Neighbourhood, Organisation, Team

_names = itertools.count(1)
WEEKDAYS = range(5)


def weekly(days: Iterable[int], opens: str, closes: str) -> list[tuple[int, str, str]]:
    return [(day, opens, closes) for day in days]


def make_service(
    team: Team,
    *,
    needs: Iterable[str],
    name: str | None = None,
    service_type: str = ServiceType.COMMUNITY_NURSING,
    neighbourhoods: Iterable[Neighbourhood] = (),
    practices: Iterable[Organisation] = (),
    sessions: Iterable[tuple[int, str, str]] = (),
    dates: Iterable[tuple[dt.date, str | None, str | None]] = (),
    include: dict[str, str] | None = None,
    exclude: dict[str, str] | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    **fields: Any,
) -> Service:
    fields.setdefault("open_24_7", not sessions and not dates)
    service = Service.objects.create(
        provider=team.organisation,
        team=team,
        name=name or f"Service {next(_names)}",
        service_type=service_type,
        dos_service_type_id=DOS_SERVICE_TYPE[service_type],
        latitude=team.base_latitude if latitude is None else latitude,
        longitude=team.base_longitude if longitude is None else longitude,
        **fields,
    )
    ServiceNeed.objects.bulk_create(ServiceNeed(service=service, need=n) for n in needs)
    service.neighbourhoods.set(neighbourhoods)
    service.practices.set(practices)
    OpeningSession.objects.bulk_create(
        OpeningSession(
            service=service, day=d, opens=dt.time.fromisoformat(o), closes=dt.time.fromisoformat(c)
        )
        for d, o, c in sessions
    )
    OpeningDate.objects.bulk_create(
        OpeningDate(
            service=service,
            date=day,
            opens=dt.time.fromisoformat(o) if o else None,
            closes=dt.time.fromisoformat(c) if c else None,
        )
        for day, o, c in dates
    )
    ConditionRule.objects.bulk_create(
        [
            ConditionRule(service=service, kind="include", code=c, display=d)
            for c, d in (include or {}).items()
        ]
        + [
            ConditionRule(service=service, kind="exclude", code=c, display=d)
            for c, d in (exclude or {}).items()
        ]
    )
    return service
