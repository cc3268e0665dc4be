"""``eligible_services()``: the services that can meet a person's needs, ranked, and why not the rest.

A pure query: it reads the directory and writes nothing (``actions.record_gaps`` records gaps).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from wraparound.caseload.models import Patient

from . import loading
from .eligibility import (
    URGENCY_WINDOW,
    Failure,
    PersonSnapshot,
    Request,
    ServiceSnapshot,
    failures,
    unmet_needs,
)
from .models import Need
from .opening import LONDON, closed_reason

SEARCH_RADIUS_KM = 40.0
FALLBACK_RADIUS_FACTOR = 2  # look this much further for an emergency department
EARTH_RADIUS_KM = 6371.0088
CAPACITY_ORDER = {"green": 0, "amber": 1, "unknown": 2}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def day_words(day: dt.date) -> str:
    """A day as people say it: "Tuesday 8 December"."""
    return f"{day:%A} {day.day} {day:%B}"


@dataclass(frozen=True)
class Match:
    """An eligible service, with what ranked it."""

    service: ServiceSnapshot
    distance_km: float
    open_now: bool
    own_practice: bool
    capacity: str  # green, amber, or unknown (never set, or stale)
    notes: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()  # requested needs it does not meet: to arrange as well
    starts_on: dt.date | None = None  # the first day it can start someone, when not today

    @property
    def first_start_words(self) -> str:
        """The first start as people say it ("Tuesday 8 December"); "" when it is today."""
        return day_words(self.starts_on) if self.starts_on else ""

    def rank_key(self) -> tuple[int, bool, int, dt.date, bool, float, int, str]:
        return (
            len(self.unmet),  # the service that meets the most of the needs first
            not self.open_now,
            CAPACITY_ORDER[self.capacity],
            self.starts_on or dt.date.min,  # who can start soonest
            not self.own_practice,
            round(self.distance_km, 3),
            -(self.service.free_slots or 0),
            self.service.name,
        )


@dataclass(frozen=True)
class Exclusion:
    """A service that offers some of the needs but cannot take the person, and every reason."""

    service: ServiceSnapshot
    distance_km: float
    failures: tuple[Failure, ...]

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.failures]


@dataclass(frozen=True)
class SearchResult:
    person: PersonSnapshot
    request: Request
    eligible: tuple[Match, ...]
    excluded: tuple[Exclusion, ...]
    fallback: Match | None
    services_evaluated: int

    @property
    def nothing_fits(self) -> bool:
        return not self.eligible

    @property
    def message(self) -> str:
        if self.eligible:
            return f"{len(self.eligible)} services can meet these needs."
        if self.fallback is None:
            return "No service in the directory can meet these needs, and no fallback is listed."
        return (
            "No service in the directory can meet these needs. Nearest fallback: "
            f"{self.fallback.service.name} ({self.fallback.distance_km:.1f} km)."
        )


def _capacity_of(service: ServiceSnapshot, when: dt.datetime) -> tuple[str, tuple[str, ...]]:
    if service.capacity_set_at is None:
        return "unknown", ("capacity not reported",)
    if not service.capacity_is_current(when):
        return "unknown", (f"capacity ({service.capacity}) is out of date",)
    return service.capacity, ()


def _match(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> Match:
    capacity, notes = _capacity_of(service, request.when)
    starts_on = service.first_start(request.when)
    if starts_on is not None:
        notes = (*notes, f"first start {day_words(starts_on)}")
    return Match(
        service=service,
        distance_km=distance_km(
            person.latitude, person.longitude, service.latitude, service.longitude
        ),
        open_now=closed_reason(service.hours, request.when, dt.timedelta(0), request.bank_holidays)
        is None,
        own_practice=person.practice_id is not None
        and (
            person.practice_id == service.provider_id or person.practice_id in service.practice_ids
        ),
        capacity=capacity,
        notes=notes if service.bookable else (*notes, "signpost only: not bookable"),
        unmet=tuple(unmet_needs(service, request)),
        starts_on=starts_on,
    )


def rank(
    person: PersonSnapshot, services: Iterable[ServiceSnapshot], request: Request
) -> tuple[list[Match], list[Exclusion]]:
    """Evaluate every rule for every service; rank the eligible ones.

    Order: can respond now, then capacity (green, amber, unknown), then the person's own
    practice, then distance, then more free slots.
    """
    eligible, excluded = [], []
    for service in services:
        failed = failures(person, service, request)
        if failed:
            excluded.append(
                Exclusion(
                    service,
                    distance_km(
                        person.latitude, person.longitude, service.latitude, service.longitude
                    ),
                    tuple(failed),
                )
            )
        else:
            eligible.append(_match(person, service, request))
    eligible.sort(key=Match.rank_key)
    excluded.sort(key=lambda e: (len(e.failures), e.distance_km, e.service.name))
    return eligible, excluded


def nearest_fallback(
    person: PersonSnapshot, fallbacks: Iterable[ServiceSnapshot], request: Request
) -> Match | None:
    """The nearest fallback open in the urgency's window, else the nearest at all."""
    matches = [_match(person, f, request) for f in fallbacks]
    if not matches:
        return None
    window = URGENCY_WINDOW[request.urgency]

    def key(m: Match) -> tuple[bool, float]:
        shut = closed_reason(m.service.hours, request.when, window, request.bank_holidays)
        return (shut is not None, m.distance_km)

    return min(matches, key=key)


def eligible_services(
    person: Patient | PersonSnapshot,
    needs: Iterable[str],
    urgency: str,
    when: dt.datetime,
    *,
    radius_km: float = SEARCH_RADIUS_KM,
) -> SearchResult:
    """The services that can meet ``needs`` at ``urgency`` from ``when``, ranked; and why not.

    ``person`` is a Patient already loaded through the access door (or a snapshot). Every
    active service in the search area offering at least one of the needs is evaluated; each
    excluded one comes back with every rule it failed, in words. When nothing fits, the
    nearest fallback service is offered.
    """
    if when.tzinfo is None:
        raise ValueError("when must be an aware datetime")
    if urgency not in URGENCY_WINDOW:
        raise ValueError(f"urgency must be one of {', '.join(URGENCY_WINDOW)}, not {urgency!r}")
    needs = frozenset(needs)
    unknown = needs - set(Need.values)
    if unknown or not needs:
        raise ValueError(
            f"needs must be one or more of the coded needs; unknown: {sorted(unknown)}"
        )
    snapshot = (
        person
        if isinstance(person, PersonSnapshot)
        else loading.person_snapshot(person, when.astimezone(LONDON).date())
    )
    request = Request(
        needs=needs,
        urgency=urgency,
        when=when,
        need_names={code: str(Need(code).label) for code in needs},
    )
    candidates = loading.candidate_services(snapshot, needs, when, radius_km=radius_km)
    eligible, excluded = rank(snapshot, candidates, request)
    fallback = (
        None
        if eligible
        else nearest_fallback(
            snapshot,
            loading.fallback_services(snapshot, when, radius_km=FALLBACK_RADIUS_FACTOR * radius_km),
            request,
        )
    )
    return SearchResult(
        person=snapshot,
        request=request,
        eligible=tuple(eligible),
        excluded=tuple(excluded),
        fallback=fallback,
        services_evaluated=len(candidates),
    )
