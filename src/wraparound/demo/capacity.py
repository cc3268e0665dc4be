"""A step of the demo place builder: a virtual ward with a year of stays, community beds,
volunteer responders, a year of urgent-response demand by hour, and the senior clinician
and responder who sign in to them. Its own random numbers, drawn from the place's once, so
nothing built before it changes."""

from __future__ import annotations

import datetime as dt
import heapq
import random

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from wraparound.access.actors import System
from wraparound.access.roles import Role
from wraparound.capacity.actions import record_demand_hours, sync_directory
from wraparound.capacity.models import (
    FRAMEWORK_PATHWAYS,
    DemandHour,
    Direction,
    Disposition,
    Pathway,
    Responder,
    Ward,
    WardKind,
    WardStay,
    admitter_words,
)
from wraparound.caseload.models import CaseloadEntry, Patient
from wraparound.demand.profile import HOURS_IN_A_WEEK
from wraparound.directory.models import Service, ServiceType
from wraparound.organisations.models import Neighbourhood, Organisation, Team
from wraparound.referrals.models import Referral
from wraparound.referrals.triage import Urgency
from wraparound.workforce.models import Profession, StaffMember

from .accounts import DemoUser, add_account

BUILDER = System("demo")
USERS = (
    DemoUser(
        "consultant",
        "Clare",
        "Ndlovu",
        "RWY",
        "frailty-unit",
        Role.SENIOR_CLINICIAN,
        Profession.CONSULTANT,
    ),
    DemoUser(
        "responder", "Rob", "Evans", "VWX01", None, Role.RESPONDER, Profession.VOLUNTEER_COORDINATOR
    ),
    DemoUser(
        "responder2",
        "Ruth",
        "Khan",
        "VWX01",
        None,
        Role.RESPONDER,
        Profession.VOLUNTEER_COORDINATOR,
    ),
    DemoUser(
        "responder3",
        "Raj",
        "Patel",
        "VWX01",
        None,
        Role.RESPONDER,
        Profession.VOLUNTEER_COORDINATOR,
    ),
)
# Where each responder is based (north, east of the town centre, in km).
RESPONDER_BASES = ((0.5, 0.2), (3.0, -2.5), (-4.0, -6.0))
VIRTUAL_WARD_PLACES = 20
COMMUNITY_BEDS = 16
# About 2.4 admissions a day staying about 6 days fill a 20-place ward to about 70%,
# England's virtual wards' occupancy in 2024-25.
ADMISSIONS_PER_DAY = 2.4
MEAN_STAY_DAYS = 5.8
PATHWAY_WEIGHTS = {"frailty": 0.55, "acute-respiratory-infection": 0.3, "heart-failure": 0.15}
DISPOSITIONS = {
    Disposition.HOME: 0.45,
    Disposition.HOME_WITH_SUPPORT: 0.35,
    Disposition.HOSPITAL: 0.14,
    Disposition.CARE_HOME: 0.03,
    Disposition.DIED: 0.03,
}
# Urgent-response calls by hour of the day (a weekday; Friday is busier, weekends quieter).
DAY_SHAPE = [0.35] * 7 + [
    0.9, 1.4, 1.6, 1.6, 1.5, 1.4, 1.4, 1.5, 1.8, 2.2, 2.3, 1.9, 1.4, 1.0, 0.8, 0.6, 0.45,
]  # fmt: skip


def _midnight(today: dt.date) -> dt.datetime:
    """The wards as they stood at midnight: the same place whatever time of day it is built."""
    return dt.datetime.combine(today, dt.time(0), timezone.get_current_timezone())


def _weekly_shape() -> list[float]:
    shape = []
    for day in range(7):
        lift = 1.25 if day == 4 else 0.8 if day >= 5 else 1.0
        shape += [rate * lift for rate in DAY_SHAPE]
    total = sum(shape)
    return [s / total for s in shape]  # shares of a week's calls


def _accounts(
    organisations: dict[str, Organisation], teams: dict[str, Team], password: str
) -> None:
    password_hash = make_password(password)
    for user in USERS:
        add_account(
            user,
            password_hash=password_hash,
            organisations=organisations,
            teams=teams,
            contracted_hours=37.5 if user.role == Role.SENIOR_CLINICIAN else 8,
        )


def _responders(centre: tuple[float, float]) -> None:
    members = StaffMember.objects.filter(role=Role.RESPONDER).order_by("pk")
    Responder.objects.bulk_create(
        Responder(
            staff=member,
            available=True,
            latitude=centre[0] + north / 111.0,
            longitude=centre[1] + east / 68.0,
            changed_at=timezone.now(),
        )
        for member, (north, east) in zip(members, RESPONDER_BASES, strict=False)
    )


def _ward(service_name: str, kind: str, places: int, cover: str) -> Ward:
    service = Service.objects.get(name=service_name)
    # A ward's census is confirmed at the daily board round, so it is current for a day.
    Service.objects.filter(pk=service.pk).update(
        capacity_is_live=True, capacity_stale_after_minutes=24 * 60
    )
    return Ward.objects.create(service=service, kind=kind, places=places, out_of_hours_cover=cover)


def _older_people(today: dt.date) -> list[tuple[int, int | None]]:
    born_by = today.replace(year=today.year - 70)
    return list(
        Patient.objects.filter(date_of_birth__lte=born_by)
        .order_by("pk")
        .values_list("pk", "registered_practice_id")
    )


SUMMARIES = (
    "Recovered at home with daily reviews; back to usual mobility.",
    "Chest infection treated with oral antibiotics at home; observations settled.",
    "Fluid overload treated with increased diuretics; weight back to dry weight.",
    "Delirium resolved once the urine infection was treated; family supported throughout.",
)
MEDICINES = (("Amoxicillin 500 mg", "started"), ("Furosemide 40 mg", "dose changed"))


def _year_of_stays(
    rng: random.Random, ward: Ward, today: dt.date, people: list[tuple[int, int | None]]
) -> None:
    """A year of admissions (Poisson) to a ward of fixed places, turned away when full."""
    tz = timezone.get_current_timezone()
    admitters = {
        Direction.STEP_UP: StaffMember.objects.get(user__username="gp"),
        Direction.STEP_DOWN: StaffMember.objects.get(user__username="consultant"),
    }
    pathways = {
        code: Pathway.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in FRAMEWORK_PATHWAYS
    }
    now = _midnight(today)
    start = dt.datetime.combine(today - dt.timedelta(days=365), dt.time(9), tz)
    leaving: list[tuple[dt.datetime, int]] = []  # (discharge time, person)
    on_ward: set[int] = set()
    stays: list[WardStay] = []
    moment = start
    while True:
        moment += dt.timedelta(days=rng.expovariate(ADMISSIONS_PER_DAY))
        if moment >= now:
            break
        while leaving and leaving[0][0] <= moment:
            on_ward.discard(heapq.heappop(leaving)[1])
        if len(on_ward) >= ward.places:
            continue  # turned away
        person, practice = rng.choice(people)
        if person in on_ward:
            continue
        direction = Direction.STEP_UP if rng.random() < 0.6 else Direction.STEP_DOWN
        pathway = rng.choices(list(PATHWAY_WEIGHTS), weights=list(PATHWAY_WEIGHTS.values()))[0]
        ends = moment + dt.timedelta(days=0.5 + rng.expovariate(1 / (MEAN_STAY_DAYS - 0.5)))
        done = ends <= now
        admitter = admitters[direction]
        stay = WardStay(
            ward=ward,
            patient_id=person,
            direction=direction,
            pathway=pathways[pathway],
            reason="Step-up instead of admission"
            if direction == Direction.STEP_UP
            else "Step-down to leave hospital sooner",
            admitted_at=moment,
            admitted_by_id=admitter.user_id,
            admitted_by_role=admitter_words(admitter),
            out_of_hours_cover=ward.out_of_hours_cover,
        )
        if done:
            stay.discharged_at = ends
            stay.discharged_by_id = admitters[Direction.STEP_DOWN].user_id
            stay.disposition = rng.choices(list(DISPOSITIONS), weights=list(DISPOSITIONS.values()))[
                0
            ]
            stay.gp_summary = rng.choice(SUMMARIES)
            medicine, change = rng.choice(MEDICINES)
            stay.medication_changes = (
                [{"medicine": medicine, "change": change, "detail": ""}]
                if rng.random() < 0.6
                else []
            )
            stay.summary_for_id = practice
        stays.append(stay)
        on_ward.add(person)
        heapq.heappush(leaving, (ends, person))
    WardStay.objects.bulk_create(stays, batch_size=2000)
    _open_stays_on_caseload(ward, today)


def _open_stays_on_caseload(ward: Ward, today: dt.date) -> None:
    open_stays = list(WardStay.objects.filter(ward=ward, discharged_at__isnull=True))
    already = set(
        CaseloadEntry.objects.filter(
            team_id=ward.service.team_id, discharged_on__isnull=True
        ).values_list("patient_id", flat=True)
    )
    for stay in open_stays:
        if stay.patient_id in already:
            continue
        entry = CaseloadEntry.objects.create(
            team_id=ward.service.team_id,
            patient_id=stay.patient_id,
            admitted_on=timezone.localdate(stay.admitted_at),
            reason=f"{ward}: {stay.reason}"[:200],
        )
        stay.caseload_entry = entry
    WardStay.objects.bulk_update(open_stays, ["caseload_entry"])
    now = _midnight(today)
    Ward.objects.filter(pk=ward.pk).update(census=len(open_stays), census_changed_at=now)
    ward.refresh_from_db()
    sync_directory(ward, by=BUILDER, when=now)


def _demand(seed: int, today: dt.date, referral_days: int) -> None:
    """A year of hourly urgent-response calls: before the referral history, drawn from the
    week's shape at the history's own daily rate; within it, counted from the referrals."""
    tz = timezone.get_current_timezone()
    history_start = today - dt.timedelta(days=referral_days)
    counted = Referral.objects.filter(
        urgency=Urgency.TWO_HOUR,
        received_at__gte=dt.datetime.combine(history_start, dt.time(0), tz),
    )
    per_day = max(1.0, counted.count() / referral_days)
    shares = _weekly_shape()
    neighbourhoods = list(Neighbourhood.objects.order_by("pk"))
    weights = dict(
        counted.values("patient__neighbourhood_id")
        .annotate(n=Count("pk"))
        .values_list("patient__neighbourhood_id", "n")
    )
    total = sum(weights.get(n.pk, 0) for n in neighbourhoods) or 1
    generator = np.random.default_rng(seed)
    rows = []
    first = today - dt.timedelta(days=365)
    hour = dt.datetime.combine(first, dt.time(0), tz)
    end = dt.datetime.combine(history_start, dt.time(0), tz)
    while hour < end:
        local = timezone.localtime(hour)
        rate = per_day * 7 * shares[(local.weekday() * 24 + local.hour) % HOURS_IN_A_WEEK]
        for n in neighbourhoods:
            calls = int(generator.poisson(rate * weights.get(n.pk, 0) / total))
            if calls:
                rows.append(
                    DemandHour(
                        service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
                        neighbourhood=n,
                        hour_starting=hour,
                        arrivals=calls,
                    )
                )
        hour += dt.timedelta(hours=1)
    DemandHour.objects.bulk_create(rows, batch_size=5000)
    record_demand_hours(by=BUILDER, first=history_start, last=today - dt.timedelta(days=1))


def build_capacity(
    *,
    rng: random.Random,
    today: dt.date,
    organisations: dict[str, Organisation],
    teams: dict[str, Team],
    password: str,
    centre: tuple[float, float],
    referral_days: int,
) -> None:
    own = random.Random(rng.random())
    _accounts(organisations, teams, password)
    _responders(centre)
    virtual = _ward(
        "Frailty Virtual Ward",
        WardKind.VIRTUAL_WARD,
        VIRTUAL_WARD_PLACES,
        "Frailty consultant on call through the hospital switchboard, 24/7; "
        "Hospital at Home nurses visit 08:00-22:00",
    )
    beds = _ward(
        "Community Hospital Rehabilitation Beds",
        WardKind.COMMUNITY_BEDS,
        COMMUNITY_BEDS,
        "Resident nurses 24/7; GP out-of-hours service overnight",
    )
    people = _older_people(today)
    _year_of_stays(own, virtual, today, people)
    _beds_now(own, beds, today, people)
    _demand(own.randrange(2**32), today, referral_days)


def _beds_now(
    rng: random.Random, ward: Ward, today: dt.date, people: list[tuple[int, int | None]]
) -> None:
    """Community beds as they are today: most filled, by people admitted in the last month."""
    consultant = StaffMember.objects.get(user__username="consultant")
    rehab, _ = Pathway.objects.get_or_create(
        code="rehabilitation", defaults={"name": "Rehabilitation"}
    )
    now = _midnight(today)
    on_ward = set(
        WardStay.objects.filter(discharged_at__isnull=True).values_list("patient_id", flat=True)
    )
    chosen = [p for p in rng.sample(people, ward.places) if p[0] not in on_ward][: ward.places - 3]
    WardStay.objects.bulk_create(
        WardStay(
            ward=ward,
            patient_id=person,
            direction=Direction.STEP_DOWN,
            pathway=rehab,
            reason="Rehabilitation after an acute admission",
            admitted_at=now - dt.timedelta(days=rng.uniform(1, 30)),
            admitted_by_id=consultant.user_id,
            admitted_by_role=admitter_words(consultant),
            out_of_hours_cover=ward.out_of_hours_cover,
        )
        for person, _ in chosen
    )
    _open_stays_on_caseload(ward, today)
