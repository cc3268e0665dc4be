"""Eligibility rules: each one a small function, given plain snapshots, returning None or why not.

Pure Python (no database): ``wraparound.directory.loading`` builds the snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .opening import ENGLAND_BANK_HOLIDAYS, LONDON, BankHolidays, OpeningHours, closed_reason

TWO_HOUR, TWO_DAY, ROUTINE = "2-hour", "2-day", "routine"
SEX_WORDS = {
    "female": "women",
    "male": "men",
    "other": "people of another sex",
    "unknown": "people whose sex is not known",
}
URGENCY_WINDOW = {
    TWO_HOUR: dt.timedelta(0),  # open now
    TWO_DAY: dt.timedelta(days=2),
    ROUTINE: dt.timedelta(days=14),
}


@dataclass(frozen=True)
class PersonSnapshot:
    age: int
    sex: str
    latitude: float
    longitude: float
    neighbourhood_id: int | None = None
    neighbourhood_name: str = ""
    practice_id: int | None = None
    practice_name: str = ""
    condition_codes: frozenset[str] = frozenset()
    consent: str | None = None  # the current consent scope, None when none is recorded
    patient_id: int | None = None


@dataclass(slots=True)  # not frozen: a search builds hundreds, and frozen init costs 3x
class ServiceSnapshot:
    id: int
    name: str
    provider_id: int
    provider_name: str
    team_name: str
    service_type: str
    dos_service_type_id: int
    latitude: float
    longitude: float
    needs: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    sex: str = ""
    neighbourhood_ids: frozenset[int] = frozenset()
    practice_ids: frozenset[int] = frozenset()
    include_conditions: dict[str, str] = field(default_factory=dict)  # code -> display
    exclude_conditions: dict[str, str] = field(default_factory=dict)
    consent_required: bool = False
    offers_two_hour: bool = False
    offers_two_day: bool = False
    routine_within_days: int | None = None
    hours: OpeningHours = field(default_factory=lambda: OpeningHours(always_open=True))
    capacity: str = "green"
    free_slots: int | None = None
    capacity_set_at: dt.datetime | None = None
    capacity_stale_after: dt.timedelta = dt.timedelta(hours=4)
    next_start: dt.date | None = None
    bookable: bool = True
    is_fallback: bool = False

    def capacity_is_current(self, when: dt.datetime) -> bool:
        """Capacity counts only while fresh: set, and not older than the service's own limit."""
        if self.capacity_set_at is None:
            return False
        return when - self.capacity_set_at <= self.capacity_stale_after

    def first_start(self, when: dt.datetime) -> dt.date | None:
        """The first day it can start someone new, if later than ``when``'s day and said with
        capacity that is still current (a stale one is unknown, like the capacity)."""
        if self.next_start is None or not self.capacity_is_current(when):
            return None
        return self.next_start if self.next_start > when.astimezone(LONDON).date() else None


@dataclass(frozen=True)
class Request:
    needs: frozenset[str]
    urgency: str
    when: dt.datetime
    need_names: dict[str, str] = field(default_factory=dict)
    bank_holidays: BankHolidays = ENGLAND_BANK_HOLIDAYS


@dataclass(frozen=True)
class Failure:
    rule: str
    reason: str


Rule = Callable[[PersonSnapshot, ServiceSnapshot, Request], "str | None"]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def unmet_needs(service: ServiceSnapshot, request: Request) -> list[str]:
    """The requested needs this service does not meet, in words."""
    return [request.need_names.get(code, code) for code in sorted(request.needs - service.needs)]


def needs_met(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> str | None:
    """A coordinator's rule, not all-or-nothing: a service that meets any of the needs (and
    passes the other rules, the response time among them) can take the person, and the
    needs it does not meet are named beside it to arrange as well. A fall with reduced
    mobility goes to the urgent response, with therapy to follow, not to the emergency
    department because the urgent response is not a therapy service."""
    if request.needs & service.needs:
        return None
    return f"does not meet any of the needs: {_listed(unmet_needs(service, request))}"


def age_in_range(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> str | None:
    if service.max_age is not None and person.age > service.max_age:
        return f"age {person.age} is over the upper limit {service.max_age}"
    if service.min_age is not None and person.age < service.min_age:
        return f"age {person.age} is under the lower limit {service.min_age}"
    return None


def sex_served(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> str | None:
    if not service.sex or person.sex == service.sex:
        return None
    return f"for {SEX_WORDS.get(service.sex, service.sex)} only, not {SEX_WORDS.get(person.sex, person.sex)}"


def area_covered(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> str | None:
    """Covered when the service lists neither areas nor practices, or lists the person's."""
    if not service.neighbourhood_ids and not service.practice_ids:
        return None
    if person.neighbourhood_id in service.neighbourhood_ids:
        return None
    if person.practice_id in service.practice_ids:
        return None
    hood = f"{person.neighbourhood_name} neighbourhood" if person.neighbourhood_name else ""
    practice = person.practice_name or "the person's GP practice"
    if not service.practice_ids:
        return f"does not cover {hood or 'the person (neighbourhood not known)'}"
    if not service.neighbourhood_ids:
        return f"only for patients of its listed GP practices, not {practice}"
    return (
        f"does not cover {hood or 'the person (neighbourhood not known)'} or patients of {practice}"
    )


def conditions_allowed(
    person: PersonSnapshot, service: ServiceSnapshot, request: Request
) -> str | None:
    excluded = sorted(
        display
        for code, display in service.exclude_conditions.items()
        if code in person.condition_codes
    )
    if excluded:
        return f"does not take people with {_listed(excluded)}"
    if service.include_conditions and not (
        person.condition_codes & service.include_conditions.keys()
    ):
        return f"only for people with {_listed(sorted(service.include_conditions.values()))}"
    return None


def consent_given(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> str | None:
    if not service.consent_required:
        return None
    if person.consent is None:
        return "needs the person's consent, and none is recorded"
    if person.consent == "dissent":
        return "needs the person's consent, and they have dissented from sharing"
    return None


def response_offered(
    person: PersonSnapshot, service: ServiceSnapshot, request: Request
) -> str | None:
    """A faster response level also meets a slower urgency."""
    if request.urgency == TWO_HOUR and not service.offers_two_hour:
        return "does not offer a 2-hour response"
    if request.urgency == TWO_DAY and not (service.offers_two_hour or service.offers_two_day):
        return "does not offer a 2-day response"
    if request.urgency == ROUTINE and not (
        service.offers_two_hour or service.offers_two_day or service.routine_within_days
    ):
        return "does not take routine referrals"
    return None


def open_in_window(
    person: PersonSnapshot, service: ServiceSnapshot, request: Request
) -> str | None:
    return closed_reason(
        service.hours, request.when, URGENCY_WINDOW[request.urgency], request.bank_holidays
    )


def capacity_available(
    person: PersonSnapshot, service: ServiceSnapshot, request: Request
) -> str | None:
    """Red excludes while it is current; stale capacity is unknown, never a reason to exclude."""
    if service.capacity != "red" or not service.capacity_is_current(request.when):
        return None
    assert service.capacity_set_at is not None
    set_at = service.capacity_set_at.astimezone(LONDON)
    return f"has no capacity now (red since {set_at:%H:%M} on {set_at.day} {set_at:%B})"


RULES: tuple[tuple[str, Rule], ...] = (
    ("needs", needs_met),
    ("age", age_in_range),
    ("sex", sex_served),
    ("area", area_covered),
    ("conditions", conditions_allowed),
    ("consent", consent_given),
    ("response", response_offered),
    ("opening", open_in_window),
    ("capacity", capacity_available),
)


def failures(person: PersonSnapshot, service: ServiceSnapshot, request: Request) -> list[Failure]:
    """Every rule the service fails for this person and request, in words."""
    found = []
    for name, rule in RULES:
        reason = rule(person, service, request)
        if reason is not None:
            found.append(Failure(name, reason))
    return found
