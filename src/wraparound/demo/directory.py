"""The Wrexford directory of services: what each provider offers, to whom, when, capacity now.

A step of the demo place builder; capacity and free slots come from the place's rng.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wraparound.directory.models import (
    BANK_HOLIDAYS,
    DOS_SERVICE_TYPE,
    Capacity,
    ConditionRule,
    OpeningDate,
    OpeningSession,
    Service,
    ServiceNeed,
)
from wraparound.directory.models import ServiceType as T
from wraparound.needs import Need as N
from wraparound.organisations.models import ServiceKind, Team

from .population import TOWN_CENTRE

if TYPE_CHECKING:
    from .place import _Context

WEEKDAYS, EVERY_DAY = "weekdays", "daily"
ALL_AREAS = ("wrexford-central", "northfield", "hillside")

# Teams the directory adds to the place (code, name, owner ODS, kind, base, offset lat, lon).
EXTRA_TEAMS = (
    (
        "mental-health-crisis",
        "Crisis Resolution and Home Treatment",
        "RWV",
        ServiceKind.MENTAL_HEALTH,
        "Midshire House",
        0.02,
        -0.04,
    ),
    (
        "carers-centre",
        "Carers' Support Team",
        "VWX02",
        ServiceKind.VOLUNTARY_SUPPORT,
        "Carers' Centre",
        0.003,
        -0.004,
    ),
    (
        "council-reablement",
        "Home First Reablement",
        "WXC01",
        ServiceKind.SOCIAL_CARE,
        "Civic Centre",
        0.001,
        -0.002,
    ),
    (
        "market-square-frailty",
        "Market Square Frailty Clinic",
        "W81001",
        ServiceKind.GENERAL_PRACTICE,
        "Market Square Surgery",
        0.002,
        0.001,
    ),
)


@dataclass(frozen=True)
class Spec:
    team: str
    name: str
    service_type: str
    needs: tuple[str, ...]
    hours: str  # "24/7", or "weekdays|daily|sat-sun HH:MM-HH:MM", sessions joined by "; "
    two_hour: bool = False
    two_day: bool = False
    routine_days: int | None = None
    areas: tuple[str, ...] = ()  # neighbourhood codes; none: no area limit
    practices: tuple[str, ...] = ()  # ODS codes of GP practices covered
    bookable: bool = True
    fallback: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # min_age, max_age, sex, consent...
    include: tuple[tuple[str, str], ...] = ()
    exclude: tuple[tuple[str, str], ...] = ()
    bank_holidays: str = ""  # "HH:MM-HH:MM": hours on bank holidays (else closed)
    first_start_in_days: int | None = None  # when it cannot start someone new today


CRISIS = (
    N.FRAILTY_DECOMPENSATION,
    N.BREATHLESSNESS,
    N.UNABLE_TO_MANAGE,
    N.FALL,
    N.CONFUSION_DELIRIUM,
)
NURSING = (
    N.WOUND_CARE,
    N.URGENT_CATHETER,
    N.URGENT_DIABETES,
    N.PALLIATIVE_CRISIS,
    N.MEDICATION_SUPPORT,
    N.LONG_TERM_CONDITION,
)
HEART_FAILURE = ("84114007", "Heart failure")
COPD = ("13645005", "Chronic obstructive pulmonary disease")
DEMENTIA = ("52448006", "Dementia")
DIABETES = ("44054006", "Type 2 diabetes mellitus")

SERVICES: tuple[Spec, ...] = (
    # The services the front door routes to first.
    Spec(
        "ucr",
        "Urgent Community Response",
        T.URGENT_COMMUNITY_RESPONSE,
        # The whole 2-hour crisis scope: one list of needs makes the gap visible if one is missed.
        (
            *CRISIS,
            N.REDUCED_FUNCTION,
            N.URGENT_CATHETER,
            N.URGENT_DIABETES,
            N.URGENT_EQUIPMENT,
            N.CARER_BREAKDOWN,
            N.PALLIATIVE_CRISIS,
        ),
        "24/7",
        two_hour=True,
        two_day=True,
        areas=ALL_AREAS,
        extra={"min_age": 18},
    ),
    Spec(
        "central-nursing",
        "Wrexford Central Neighbourhood Nursing",
        T.COMMUNITY_NURSING,
        (*NURSING, N.BREATHLESSNESS),
        "weekdays 08:00-18:00",
        two_day=True,
        routine_days=7,
        areas=("wrexford-central",),
    ),
    Spec(
        "north-hills-nursing",
        "Northfield and Hillside Neighbourhood Nursing",
        T.COMMUNITY_NURSING,
        (*NURSING, N.BREATHLESSNESS),
        "weekdays 08:00-18:00",
        two_day=True,
        routine_days=7,
        areas=("northfield", "hillside"),
    ),
    Spec(
        "therapy-reablement",
        "Therapy and Reablement",
        T.THERAPY,
        (N.REABLEMENT, N.REDUCED_FUNCTION, N.FALL, N.UNABLE_TO_MANAGE, N.URGENT_EQUIPMENT),
        "daily 08:00-20:00",
        two_day=True,
        routine_days=14,
        areas=ALL_AREAS,
    ),
    Spec(
        "therapy-reablement",
        "Working-Age Reablement (18-65)",
        T.REABLEMENT,
        (N.REABLEMENT, N.UNABLE_TO_MANAGE),
        "weekdays 08:00-18:00",
        two_day=True,
        routine_days=14,
        areas=ALL_AREAS,
        extra={"min_age": 18, "max_age": 65},
    ),
    Spec(
        "adult-social-care",
        "Adult Social Care Assessment",
        T.SOCIAL_CARE_ASSESSMENT,
        (N.SOCIAL_SUPPORT, N.CARER_BREAKDOWN, N.UNABLE_TO_MANAGE),
        "weekdays 09:00-17:00",
        two_day=True,
        routine_days=28,
        areas=ALL_AREAS,
        extra={"min_age": 18, "consent_required": True},
        bank_holidays="10:00-14:00",
    ),
    Spec(
        "age-well-befriending",
        "Age Well Befriending",
        T.VOLUNTARY_BEFRIENDING,
        (N.LONELINESS,),
        "weekdays 09:00-16:00",
        routine_days=14,
        bookable=False,
        extra={"min_age": 60},
    ),
    Spec(
        "frailty-unit",
        "Frailty Virtual Ward",
        T.VIRTUAL_WARD,
        (N.REMOTE_MONITORING, N.FRAILTY_DECOMPENSATION, N.BREATHLESSNESS, N.CONFUSION_DELIRIUM),
        "24/7",
        two_day=True,
        areas=ALL_AREAS,
        extra={"min_age": 65, "consent_required": True},
    ),
    Spec(
        "frailty-unit",
        "Wrexford General Emergency Department",
        T.EMERGENCY_DEPARTMENT,
        (),
        "24/7",
        two_hour=True,
        fallback=True,
    ),
    # The rest of a real place.
    Spec(
        "central-nursing",
        "Evening District Nursing",
        T.COMMUNITY_NURSING,
        NURSING,
        "daily 18:00-22:00",
        two_hour=True,
        two_day=True,
        areas=ALL_AREAS,
    ),
    Spec(
        "north-hills-nursing",
        "Night Nursing Service",
        T.COMMUNITY_NURSING,
        (N.PALLIATIVE_CRISIS, N.URGENT_CATHETER),
        "daily 22:00-08:00",
        two_hour=True,
        areas=ALL_AREAS,
    ),
    Spec(
        "central-nursing",
        "Tissue Viability Clinic",
        T.COMMUNITY_NURSING,
        (N.WOUND_CARE,),
        "weekdays 09:00-16:30",
        routine_days=21,
    ),
    Spec(
        "north-hills-nursing",
        "Continence Service",
        T.COMMUNITY_NURSING,
        (N.URGENT_CATHETER, N.CONTINENCE),
        "weekdays 09:00-17:00",
        routine_days=28,
    ),
    Spec(
        "central-nursing",
        "Diabetes Specialist Nurses",
        T.COMMUNITY_NURSING,
        (N.URGENT_DIABETES,),
        "weekdays 08:30-16:30",
        two_day=True,
        routine_days=14,
        include=(DIABETES,),
    ),
    Spec(
        "central-nursing",
        "Community Heart Failure Nurses",
        T.COMMUNITY_NURSING,
        (N.BREATHLESSNESS, N.REMOTE_MONITORING),
        "weekdays 08:30-16:30",
        two_day=True,
        routine_days=14,
        include=(HEART_FAILURE,),
    ),
    Spec(
        "north-hills-nursing",
        "Community Respiratory Team",
        T.COMMUNITY_NURSING,
        (N.BREATHLESSNESS,),
        "weekdays 08:00-18:00; sat-sun 09:00-13:00",
        two_day=True,
        routine_days=14,
        include=(COPD,),
    ),
    Spec(
        "therapy-reablement",
        "Falls Prevention Service",
        T.FALLS,
        (N.FALL, N.REDUCED_FUNCTION, N.FALLS_PREVENTION),
        "weekdays 09:00-17:00",
        routine_days=28,
        extra={"min_age": 65},
    ),
    Spec(
        "therapy-reablement",
        "Community Hospital Rehabilitation Beds",
        T.REHABILITATION_BEDS,
        (N.REDUCED_FUNCTION, N.REABLEMENT, N.UNABLE_TO_MANAGE),
        "24/7",
        two_day=True,
        extra={"min_age": 18},
    ),
    Spec(
        "therapy-reablement",
        "Community Equipment Service",
        T.THERAPY,
        (N.URGENT_EQUIPMENT,),
        "weekdays 08:00-18:00; sat-sun 09:00-12:00",
        two_hour=True,
        two_day=True,
    ),
    Spec(
        "ucr",
        "Specialist Palliative Care Team",
        T.PALLIATIVE_CARE,
        (N.PALLIATIVE_CRISIS, N.BREATHLESSNESS),
        "daily 08:00-20:00",
        two_hour=True,
        two_day=True,
        areas=ALL_AREAS,
    ),
    Spec(
        "ucr",
        "Hospice at Home",
        T.PALLIATIVE_CARE,
        (N.PALLIATIVE_CRISIS,),
        "24/7",
        two_day=True,
        extra={"consent_required": True},
    ),
    Spec(
        "ambulance-ops",
        "Falls Response Car",
        T.URGENT_COMMUNITY_RESPONSE,
        (N.FALL,),
        "daily 07:00-23:00",
        two_hour=True,
    ),
    Spec(
        "frailty-unit",
        "Same Day Emergency Care",
        T.SAME_DAY_EMERGENCY_CARE,
        (N.BREATHLESSNESS, N.FRAILTY_DECOMPENSATION),
        "weekdays 08:00-20:00; sat-sun 10:00-18:00",
        two_hour=True,
        extra={"min_age": 16},
        bank_holidays="10:00-18:00",
    ),
    Spec(
        "frailty-unit",
        "Hospital at Home (Respiratory)",
        T.VIRTUAL_WARD,
        (N.REMOTE_MONITORING, N.BREATHLESSNESS),
        "24/7",
        two_day=True,
        include=(COPD, HEART_FAILURE),
    ),
    Spec(
        "mental-health-crisis",
        "Crisis Resolution and Home Treatment",
        T.MENTAL_HEALTH_CRISIS,
        (N.MENTAL_HEALTH_CRISIS,),
        "24/7",
        two_hour=True,
        extra={"min_age": 18},
    ),
    Spec(
        "mental-health-crisis",
        "Older Adults Community Mental Health",
        T.MENTAL_HEALTH_CRISIS,
        (N.MENTAL_HEALTH_CRISIS, N.CONFUSION_DELIRIUM),
        "weekdays 09:00-17:00",
        two_day=True,
        routine_days=28,
        extra={"min_age": 65},
    ),
    Spec(
        "mental-health-crisis",
        "Memory Assessment Service",
        T.MENTAL_HEALTH_CRISIS,
        (N.CONFUSION_DELIRIUM,),
        "weekdays 09:00-17:00",
        routine_days=42,
        exclude=(DEMENTIA,),  # for people not yet diagnosed
    ),
    Spec(
        "adult-social-care",
        "Occupational Therapy (Social Care)",
        T.SOCIAL_CARE_ASSESSMENT,
        (N.URGENT_EQUIPMENT, N.SOCIAL_SUPPORT),
        "weekdays 09:00-17:00",
        routine_days=28,
        areas=ALL_AREAS,
    ),
    Spec(
        "adult-social-care",
        "Emergency Duty Team",
        T.SOCIAL_CARE_ASSESSMENT,
        (N.SOCIAL_SUPPORT, N.CARER_BREAKDOWN),
        "weekdays 17:00-09:00; sat-sun 09:00-09:00",
        two_hour=True,
        areas=ALL_AREAS,
        bank_holidays="00:00-00:00",
    ),
    Spec(
        "adult-social-care",
        "Telecare and Community Alarms",
        T.SOCIAL_CARE_ASSESSMENT,
        (N.FALL, N.UNABLE_TO_MANAGE),
        "weekdays 09:00-17:00",
        routine_days=10,
        areas=ALL_AREAS,
    ),
    Spec(
        "council-reablement",
        "Home First Reablement",
        T.REABLEMENT,
        (N.REABLEMENT, N.UNABLE_TO_MANAGE),
        "daily 07:00-22:00",
        two_day=True,
        areas=ALL_AREAS,
        extra={"min_age": 18, "consent_required": True},
        first_start_in_days=4,  # full until then: the hub bridges the wait
    ),
    Spec(
        "council-reablement",
        "Bridging Care at Home",
        T.BRIDGING_CARE,
        (N.BRIDGING_CARE, N.UNABLE_TO_MANAGE, N.CARER_BREAKDOWN),
        "daily 07:00-22:00",
        two_day=True,
        routine_days=1,
        areas=("northfield", "hillside"),
    ),
    Spec(
        "adult-social-care",
        "Discharge Bridging Service",
        T.BRIDGING_CARE,
        (N.BRIDGING_CARE,),
        "daily 08:00-20:00",
        routine_days=1,
        areas=ALL_AREAS,
    ),
    Spec(
        "age-well-befriending",
        "Home from Hospital",
        T.VOLUNTARY_BEFRIENDING,
        (N.LONELINESS, N.UNABLE_TO_MANAGE),
        "weekdays 09:00-17:00",
        two_day=True,
        extra={"min_age": 55},
    ),
    Spec(
        "age-well-befriending",
        "Telephone Friendship Line",
        T.VOLUNTARY_BEFRIENDING,
        (N.LONELINESS,),
        "daily 10:00-20:00",
        routine_days=7,
        bookable=False,
    ),
    Spec(
        "age-well-befriending",
        "Handyperson and Falls-Proofing",
        T.VOLUNTARY_BEFRIENDING,
        (N.FALL, N.URGENT_EQUIPMENT),
        "weekdays 09:00-16:00",
        routine_days=21,
        extra={"min_age": 60},
    ),
    Spec(
        "carers-centre",
        "Carers' Emergency Support",
        T.CARERS_SUPPORT,
        (N.CARER_BREAKDOWN,),
        "weekdays 09:00-17:00",
        two_day=True,
        routine_days=14,
    ),
    Spec(
        "carers-centre",
        "Carers' Breaks and Sitting Service",
        T.CARERS_SUPPORT,
        (N.CARER_BREAKDOWN, N.LONELINESS),
        "weekdays 09:00-17:00",
        routine_days=21,
        bookable=False,
    ),
    Spec(
        "market-square-frailty",
        "Market Square Frailty Clinic",
        T.THERAPY,
        (N.FALL, N.REDUCED_FUNCTION, N.MEDICATION_SUPPORT),
        "weekdays 09:00-12:30; weekdays 14:00-17:30",
        routine_days=14,
        practices=("W81001",),
        extra={"min_age": 65},
    ),
    Spec(
        "market-square-frailty",
        "Structured Medication Review",
        T.PHARMACY,
        (N.MEDICATION_SUPPORT,),
        "weekdays 09:00-17:00",
        routine_days=28,
        practices=("W81001", "W81002", "W81003"),
    ),
    Spec(
        "coordination-centre",
        "Care Coordination Hub",
        T.URGENT_COMMUNITY_RESPONSE,
        (N.FRAILTY_DECOMPENSATION, N.UNABLE_TO_MANAGE, N.CARER_BREAKDOWN),
        "daily 08:00-20:00",
        two_hour=True,
        two_day=True,
        areas=ALL_AREAS,
        extra={"min_age": 18},
    ),
)

DAYS = {WEEKDAYS: range(5), EVERY_DAY: range(7), "sat-sun": (5, 6)}
CLOSED_FOR_CHRISTMAS = (
    "Age Well Befriending",
    "Home from Hospital",
    "Carers' Breaks and Sitting Service",
)


def _times(text: str) -> tuple[dt.time, dt.time]:
    opens, closes = text.split("-")
    return dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)


def _sessions(service: Service, spec: Spec) -> list[OpeningSession]:
    if spec.hours == "24/7":
        return []
    sessions = []
    for part in spec.hours.split("; "):
        days, span = part.split(" ")
        opens, closes = _times(span)
        sessions += [
            OpeningSession(service=service, day=d, opens=opens, closes=closes) for d in DAYS[days]
        ]
    if spec.bank_holidays:
        opens, closes = _times(spec.bank_holidays)
        sessions.append(
            OpeningSession(service=service, day=BANK_HOLIDAYS, opens=opens, closes=closes)
        )
    return sessions


def _extra_teams(ctx: _Context) -> None:

    for code, name, owner, kind, base, dlat, dlon in EXTRA_TEAMS:
        team = Team.objects.create(
            organisation=ctx.organisations[owner],
            name=name,
            code=code,
            service_kind=kind,
            base_name=base,
            base_latitude=TOWN_CENTRE[0] + dlat,
            base_longitude=TOWN_CENTRE[1] + dlon,
        )
        team.neighbourhoods.set(ctx.neighbourhoods.values())
        ctx.teams[code] = team


def _capacity(ctx: _Context) -> dict[str, Any]:
    """Capacity as the services last reported it, on the morning of the place's "today"."""
    rng = ctx.rng
    roll = rng.random()
    capacity = Capacity.GREEN if roll < 0.6 else Capacity.AMBER if roll < 0.88 else Capacity.RED
    free = (
        0 if capacity == Capacity.RED else rng.randint(1, 3 if capacity == Capacity.AMBER else 12)
    )
    morning = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time(7, 0)))
    return {
        "capacity": capacity,
        "free_slots": free,
        "capacity_set_at": morning + dt.timedelta(minutes=rng.randint(0, 180)),
    }


def build_directory(ctx: _Context, _n: int) -> None:
    """About 40 services of the place's providers, with needs, hours, rules and capacity."""
    _extra_teams(ctx)
    services = []
    for spec in SERVICES:
        team = ctx.teams[spec.team]
        services.append(
            Service(
                provider=team.organisation,
                team=team,
                name=spec.name,
                service_type=spec.service_type,
                dos_service_type_id=DOS_SERVICE_TYPE[spec.service_type],
                is_fallback=spec.fallback,
                bookable=spec.bookable,
                offers_two_hour=spec.two_hour,
                offers_two_day=spec.two_day,
                routine_within_days=spec.routine_days,
                open_24_7=spec.hours == "24/7",
                latitude=team.base_latitude,
                longitude=team.base_longitude,
                **spec.extra,
                **_capacity(ctx),
                next_start=None
                if spec.first_start_in_days is None
                else ctx.today + dt.timedelta(days=spec.first_start_in_days),
            )
        )
    services = Service.objects.bulk_create(services)
    needs, sessions, dates, rules, areas, practices = [], [], [], [], [], []
    christmas = [dt.date(ctx.today.year, 12, 24) + dt.timedelta(days=d) for d in range(9)]
    for service, spec in zip(services, SERVICES, strict=True):
        needs += [ServiceNeed(service=service, need=n) for n in spec.needs]
        sessions += _sessions(service, spec)
        if spec.name in CLOSED_FOR_CHRISTMAS:
            dates += [OpeningDate(service=service, date=day) for day in christmas]
        rules += [
            ConditionRule(service=service, kind=kind, code=code, display=display)
            for kind, listed in (("include", spec.include), ("exclude", spec.exclude))
            for code, display in listed
        ]
        areas += [
            Service.neighbourhoods.through(
                service_id=service.pk, neighbourhood_id=ctx.neighbourhoods[code].pk
            )
            for code in spec.areas
        ]
        practices += [
            Service.practices.through(
                service_id=service.pk, organisation_id=ctx.organisations[code].pk
            )
            for code in spec.practices
        ]
    ServiceNeed.objects.bulk_create(needs)
    OpeningSession.objects.bulk_create(sessions)
    OpeningDate.objects.bulk_create(dates)
    ConditionRule.objects.bulk_create(rules)
    Service.neighbourhoods.through.objects.bulk_create(areas)
    Service.practices.through.objects.bulk_create(practices)
