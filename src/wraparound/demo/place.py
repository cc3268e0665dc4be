"""Build the synthetic place of Wrexford: organisations, teams, staff, residents, caseloads.

Deterministic for a seed. Later features add their own history to this builder
(referrals, visits, metrics) by adding a step to ``STEPS``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from wraparound.access.models import ConsentDecision, ConsentMethod, ConsentScope
from wraparound.access.roles import Role
from wraparound.caseload.models import (
    CarePlan,
    CareTeamMember,
    CaseloadEntry,
    Condition,
    Patient,
    Visit,
)
from wraparound.directory.models import Service
from wraparound.discharge.models import HospitalStay
from wraparound.organisations.models import (
    Alliance,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Place,
    ServiceKind,
    Team,
)
from wraparound.referrals.models import Referral
from wraparound.workforce.models import Profession, Shift, Skill, StaffMember

from .accounts import DemoUser, add_account
from .capacity import USERS as CAPACITY_USERS
from .directory import build_directory
from .population import TOWN_CENTRE, Area, Resident, residents
from .referral_history import build_referral_history

PLACE_CODE = "wrexford"
DEMO_PASSWORD = "wraparound-demo-2026"  # demo only: printed in the README, never for real use

AREAS: tuple[Area, ...] = (
    Area("wrexford-central", 0.42, TOWN_CENTRE, 1.6, (1, 5), ("Wrexford",)),
    Area("northfield", 0.36, (52.5080, -2.0760), 1.5, (3, 8), ("Northfield",)),
    Area(
        "hillside",
        0.22,
        (52.4700, -2.1300),
        5.0,
        (5, 10),
        ("Hillside", "Upton Magna", "Kingsley", "Ashby Cross", "Hollowmere"),
        older_bias=0.35,
    ),
)
NEIGHBOURHOOD_NAMES = {
    "wrexford-central": "Wrexford Central",
    "northfield": "Northfield",
    "hillside": "Hillside",
}

PRACTICES = (  # (ODS code, name, PCN code, area, offset north km, offset east km)
    ("W81001", "Market Square Surgery", "U81001", "wrexford-central", 0.2, 0.1),
    ("W81002", "Canal Side Medical Centre", "U81001", "wrexford-central", -0.9, 0.8),
    ("W81003", "Foundry Lane Health Centre", "U81001", "wrexford-central", 0.5, -1.1),
    ("W81004", "Northfield Family Practice", "U81002", "northfield", 0.3, 0.2),
    ("W81005", "Elm Grove Surgery", "U81002", "northfield", 1.0, -0.7),
    ("W81006", "Hillside Medical Practice", "U81002", "hillside", 0.0, 0.0),
    ("W81007", "Upton Magna Surgery", "U81002", "hillside", 3.5, 2.0),
)

SKILLS = (
    ("insulin", "Insulin administration"),
    ("simple-wound", "Simple wound care"),
    ("complex-wound", "Complex wound care"),
    ("catheter", "Catheter care"),
    ("iv-therapy", "IV therapy"),
    ("bloods", "Venepuncture (bloods)"),
    ("palliative", "Palliative care"),
    ("falls", "Falls assessment"),
    ("moving-handling", "Moving and handling"),
    ("prescribing", "Non-medical prescribing"),
    ("therapy", "Therapy assessment"),
    ("reablement", "Reablement support"),
)


@dataclass(frozen=True)
class StaffSpec:
    profession: str
    band: int | None
    role: str
    skills: tuple[str, ...]
    count: int


NURSING_TEAM = (
    StaffSpec(
        Profession.DISTRICT_NURSE,
        7,
        Role.TEAM_LEADER,
        (
            "insulin",
            "complex-wound",
            "catheter",
            "iv-therapy",
            "palliative",
            "prescribing",
            "bloods",
        ),
        1,
    ),
    StaffSpec(
        Profession.DISTRICT_NURSE,
        6,
        Role.CLINICIAN,
        ("insulin", "complex-wound", "catheter", "iv-therapy", "palliative", "bloods"),
        3,
    ),
    StaffSpec(
        Profession.COMMUNITY_NURSE,
        5,
        Role.CLINICIAN,
        ("insulin", "simple-wound", "complex-wound", "catheter", "bloods"),
        8,
    ),
    StaffSpec(
        Profession.HEALTHCARE_ASSISTANT,
        3,
        Role.CLINICIAN,
        ("insulin", "simple-wound", "bloods", "moving-handling"),
        4,
    ),
)
UCR_TEAM = (
    StaffSpec(
        Profession.ADVANCED_PRACTITIONER,
        8,
        Role.TEAM_LEADER,
        ("falls", "prescribing", "iv-therapy", "catheter", "bloods"),
        1,
    ),
    StaffSpec(
        Profession.ADVANCED_PRACTITIONER,
        7,
        Role.CLINICIAN,
        ("falls", "prescribing", "iv-therapy", "catheter", "bloods"),
        2,
    ),
    StaffSpec(Profession.PARAMEDIC, 6, Role.CLINICIAN, ("falls", "catheter", "bloods"), 2),
    StaffSpec(
        Profession.COMMUNITY_NURSE,
        5,
        Role.CLINICIAN,
        ("insulin", "catheter", "iv-therapy", "bloods"),
        3,
    ),
    StaffSpec(
        Profession.OCCUPATIONAL_THERAPIST,
        6,
        Role.CLINICIAN,
        ("falls", "therapy", "moving-handling"),
        1,
    ),
    StaffSpec(Profession.HEALTHCARE_ASSISTANT, 3, Role.CLINICIAN, ("moving-handling", "bloods"), 2),
)
THERAPY_TEAM = (
    StaffSpec(
        Profession.PHYSIOTHERAPIST, 7, Role.TEAM_LEADER, ("therapy", "falls", "moving-handling"), 1
    ),
    StaffSpec(
        Profession.PHYSIOTHERAPIST, 6, Role.CLINICIAN, ("therapy", "falls", "moving-handling"), 2
    ),
    StaffSpec(
        Profession.OCCUPATIONAL_THERAPIST,
        6,
        Role.CLINICIAN,
        ("therapy", "falls", "moving-handling"),
        2,
    ),
    StaffSpec(
        Profession.REABLEMENT_WORKER, 3, Role.CLINICIAN, ("reablement", "moving-handling"), 4
    ),
)


# One per role, named in the README; plus users of other organisations to show the rules.
CARE_USERS = (
    # A GP is an authorised senior clinician: refers, and admits to the virtual ward.
    DemoUser("gp", "Asha", "Rahman", "W81001", None, Role.SENIOR_CLINICIAN, Profession.GP),
    DemoUser(
        "coordinator",
        "Sam",
        "Okafor",
        "RWX",
        "coordination-centre",
        Role.COORDINATOR,
        Profession.DISTRICT_NURSE,
        7,
    ),
    DemoUser(
        "nurse",
        "Nia",
        "Hughes",
        "RWX",
        "central-nursing",
        Role.CLINICIAN,
        Profession.COMMUNITY_NURSE,
        5,
    ),
    DemoUser(
        "teamleader",
        "Tom",
        "Walsh",
        "RWX",
        "ucr",
        Role.TEAM_LEADER,
        Profession.ADVANCED_PRACTITIONER,
        8,
    ),
    DemoUser("manager", "Mina", "Shah", "RWX", None, Role.SERVICE_MANAGER, Profession.MANAGER, 8),
    DemoUser("analyst", "Alex", "Byrne", "RWX", None, Role.SYSTEM_ANALYST, Profession.ANALYST, 6),
    DemoUser(
        "privacy", "Priya", "Kaur", "RWX", None, Role.PRIVACY_OFFICER, Profession.ADMINISTRATOR, 7
    ),
    DemoUser(
        "admin", "Ada", "Morgan", "RWX", None, Role.ADMINISTRATOR, Profession.ADMINISTRATOR, 6
    ),
    DemoUser(
        "socialworker",
        "Sean",
        "Doyle",
        "WXC01",
        "adult-social-care",
        Role.CLINICIAN,
        Profession.SOCIAL_WORKER,
    ),
    DemoUser(
        "hospital",
        "Hana",
        "Lee",
        "RWY",
        "frailty-unit",
        Role.CLINICIAN,
        Profession.ADVANCED_PRACTITIONER,
        8,
    ),
    DemoUser(
        "paramedic", "Paul", "Reid", "RWZ", "ambulance-ops", Role.CLINICIAN, Profession.PARAMEDIC, 6
    ),
    DemoUser(
        "volunteer",
        "Vera",
        "Cole",
        "VWX01",
        "age-well-befriending",
        Role.VOLUNTEER,
        Profession.VOLUNTEER_COORDINATOR,
    ),
)
# The alliance contract's: built in its own step (alliance.py), after everything else.
ALLIANCE_USERS = (
    DemoUser("finance", "Fran", "Osei", "RWX", None, Role.FINANCE_LEAD, Profession.MANAGER, 8),
    DemoUser("board", "Bill", "Carter", "WXC01", None, Role.PARTNER_BOARD, Profession.MANAGER),
)
DEMO_USERS = CARE_USERS + ALLIANCE_USERS + CAPACITY_USERS


@dataclass
class BuildReport:
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    built: bool = True


def place_exists() -> bool:
    return Place.objects.filter(code=PLACE_CODE).exists()


@transaction.atomic
def build_place(
    *, seed: int = 1, residents_count: int = 50_000, today: dt.date | None = None
) -> BuildReport:
    """Build the whole place in one transaction; a second call finds it built and does nothing."""
    if place_exists():
        return BuildReport(seed=seed, counts=current_counts(), built=False)
    rng = random.Random(seed)
    # The place is built around today, so that the demo's "my day" and history are current.
    today = today or timezone.localdate()
    ctx = _Context(rng=rng, today=today)
    for step in STEPS:
        step(ctx, residents_count)
    return BuildReport(seed=seed, counts=current_counts())


def current_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "teams": Team.objects.count(),
        "staff": StaffMember.objects.count(),
        "residents": Patient.objects.count(),
        "directory services": Service.objects.count(),
        "conditions": Condition.objects.count(),
        "care plans": CarePlan.objects.count(),
        "visits (90 days of history, today and tomorrow)": Visit.objects.count(),
        "people on community caseloads": CaseloadEntry.objects.filter(discharged_on__isnull=True)
        .values("patient")
        .distinct()
        .count(),
        "referrals (90 days)": Referral.objects.count(),
        "hospital stays (90 days)": HospitalStay.objects.count(),
    }


@dataclass
class _Context:
    rng: random.Random
    today: dt.date
    place: Place | None = None
    neighbourhoods: dict[str, Neighbourhood] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    people: list[Resident] = field(default_factory=list)
    patients: list[Patient] = field(default_factory=list)
    caseload_entries: list[CaseloadEntry] = field(default_factory=list)


def _organisations(ctx: _Context, _n: int) -> None:
    ctx.place = Place.objects.create(name="Wrexford", code=PLACE_CODE)
    for area in AREAS:
        ctx.neighbourhoods[area.code] = Neighbourhood.objects.create(
            place=ctx.place,
            name=NEIGHBOURHOOD_NAMES[area.code],
            code=area.code,
            centre_latitude=area.centre[0],
            centre_longitude=area.centre[1],
        )
    K = OrganisationKind
    lat, lon = TOWN_CENTRE
    for code, name, kind, dlat, dlon in (
        ("RWX", "Wrexford Community Health NHS Trust", K.COMMUNITY_TRUST, 0.004, 0.006),
        ("RWY", "Wrexford Hospitals NHS Foundation Trust", K.ACUTE_TRUST, -0.012, 0.015),
        ("RWZ", "Midshire Ambulance Service NHS Trust", K.AMBULANCE_TRUST, 0.03, 0.05),
        ("RWV", "Midshire Mental Health NHS Trust", K.MENTAL_HEALTH_TRUST, 0.02, -0.04),
        ("WXC01", "Wrexford Borough Council", K.LOCAL_AUTHORITY, 0.001, -0.002),
        ("U81001", "Wrexford Town Primary Care Network", K.PRIMARY_CARE_NETWORK, 0.0, 0.0),
        (
            "U81002",
            "Northfield and Hillside Primary Care Network",
            K.PRIMARY_CARE_NETWORK,
            0.02,
            0.0,
        ),
        ("VWX01", "Age Well Wrexford", K.VOLUNTARY_ORGANISATION, -0.002, 0.003),
        ("VWX02", "Wrexford Carers' Centre", K.VOLUNTARY_ORGANISATION, 0.003, -0.004),
    ):
        ctx.organisations[code] = Organisation.objects.create(
            ods_code=code,
            name=name,
            kind=kind,
            place=ctx.place,
            latitude=lat + dlat,
            longitude=lon + dlon,
        )
    from .population import _offset

    for code, name, pcn, area_code, north, east in PRACTICES:
        area = next(a for a in AREAS if a.code == area_code)
        plat, plon = _offset(area.centre, north, east)
        ctx.organisations[code] = Organisation.objects.create(
            ods_code=code,
            name=name,
            kind=K.GP_PRACTICE,
            place=ctx.place,
            network=ctx.organisations[pcn],
            latitude=plat,
            longitude=plon,
        )
    alliance = Alliance.objects.create(name="Wrexford Care Alliance", place=ctx.place)
    # The ambulance and mental health trusts are outside the alliance: their users show the rules.
    alliance.members.set(o for code, o in ctx.organisations.items() if code not in {"RWZ", "RWV"})


def _teams(ctx: _Context, _n: int) -> None:
    central, north, hills = (ctx.neighbourhoods[a.code] for a in AREAS)
    everywhere = [central, north, hills]
    org = ctx.organisations
    S = ServiceKind
    for code, name, owner, kind, areas, base, dlat, dlon in (
        (
            "central-nursing",
            "Wrexford Central Neighbourhood Nursing Team",
            "RWX",
            S.NEIGHBOURHOOD_NURSING,
            [central],
            "Wrexford Health Centre",
            0.0,
            0.0,
        ),
        (
            "north-hills-nursing",
            "Northfield and Hillside Neighbourhood Nursing Team",
            "RWX",
            S.NEIGHBOURHOOD_NURSING,
            [north, hills],
            "Northfield Clinic",
            0.022,
            0.005,
        ),
        (
            "ucr",
            "Urgent Community Response Team",
            "RWX",
            S.URGENT_COMMUNITY_RESPONSE,
            everywhere,
            "Wrexford Community Hospital",
            -0.006,
            0.01,
        ),
        (
            "therapy-reablement",
            "Therapy and Reablement Team",
            "RWX",
            S.THERAPY_AND_REABLEMENT,
            everywhere,
            "Wrexford Community Hospital",
            -0.006,
            0.01,
        ),
        (
            "coordination-centre",
            "Single Point of Access",
            "RWX",
            S.URGENT_COMMUNITY_RESPONSE,
            everywhere,
            "Wrexford Community Hospital",
            -0.006,
            0.01,
        ),
        (
            "adult-social-care",
            "Adult Social Care Locality Team",
            "WXC01",
            S.SOCIAL_CARE,
            everywhere,
            "Civic Centre",
            0.001,
            -0.002,
        ),
        (
            "frailty-unit",
            "Acute Frailty Unit",
            "RWY",
            S.HOSPITAL,
            everywhere,
            "Wrexford General Hospital",
            -0.012,
            0.015,
        ),
        (
            "ambulance-ops",
            "Wrexford Ambulance Station",
            "RWZ",
            S.AMBULANCE,
            everywhere,
            "Wrexford Ambulance Station",
            0.03,
            0.05,
        ),
        (
            "age-well-befriending",
            "Befriending and Home from Hospital",
            "VWX01",
            S.VOLUNTARY_SUPPORT,
            everywhere,
            "Age Well Centre",
            -0.002,
            0.003,
        ),
    ):
        team = Team.objects.create(
            organisation=org[owner],
            name=name,
            code=code,
            service_kind=kind,
            base_name=base,
            base_latitude=TOWN_CENTRE[0] + dlat,
            base_longitude=TOWN_CENTRE[1] + dlon,
        )
        team.neighbourhoods.set(areas)
        ctx.teams[code] = team


def _staff(ctx: _Context, _n: int) -> None:
    for code, name in SKILLS:
        ctx.skills[code] = Skill.objects.create(code=code, name=name)
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of creating users
    rng = ctx.rng
    from .population import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES

    def add(user: DemoUser, skills: tuple[str, ...] = ()) -> None:
        add_account(
            user,
            password_hash=password,
            organisations=ctx.organisations,
            teams=ctx.teams,
            contracted_hours=37.5 if rng.random() < 0.7 else rng.choice([22.5, 30.0]),
            skills=[ctx.skills[s] for s in skills],
        )

    for user in CARE_USERS:
        add(user)
    for team_code, specs in (
        ("central-nursing", NURSING_TEAM),
        ("north-hills-nursing", NURSING_TEAM),
        ("ucr", UCR_TEAM),
        ("therapy-reablement", THERAPY_TEAM),
    ):
        number = 0
        for spec in specs:
            for _ in range(spec.count):
                number += 1
                female = rng.random() < 0.8
                first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                last = rng.choice(FAMILY_NAMES)
                add(
                    DemoUser(
                        f"{team_code}-{number:02d}",
                        first,
                        last,
                        "RWX",
                        team_code,
                        spec.role,
                        spec.profession,
                        spec.band,
                    ),
                    spec.skills,
                )


_HOME_ACCESS = (
    "Key safe by the front door; the carers know the code",
    "Ring the bell and wait: slow to reach the door",
    "Side gate, back door; a dog in the garden",
    "Neighbour at number 3 holds a key",
)
_WHAT_TO_BRING = (
    "Large-print paperwork",
    "ID badge on show: anxious with strangers",
    "Nothing special",
    "Shoe covers: asks visitors to",
)


def _at_the_door(nhs_number: str) -> dict[str, str]:
    """Door notes from the NHS number, not the seed's stream, so every other draw is unchanged."""
    n = int(nhs_number)
    return {
        "home_access": _HOME_ACCESS[n % len(_HOME_ACCESS)],
        "what_to_bring": _WHAT_TO_BRING[(n // 7) % len(_WHAT_TO_BRING)],
    }


def _residents(ctx: _Context, residents_count: int) -> None:
    ctx.people = residents(ctx.rng, AREAS, residents_count, ctx.today)
    practices_by_area: dict[str, list[Organisation]] = {}
    for code, _name, _pcn, area_code, _n, _e in PRACTICES:
        practices_by_area.setdefault(area_code, []).append(ctx.organisations[code])
    patients = []
    for person in ctx.people:
        patients.append(
            Patient(
                nhs_number=person.nhs_number,
                given_name=person.given_name,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                address=person.address,
                postcode=person.postcode,
                latitude=person.latitude,
                longitude=person.longitude,
                deprivation_decile=person.deprivation_decile,
                neighbourhood=ctx.neighbourhoods[person.area_code],
                registered_practice=ctx.rng.choice(practices_by_area[person.area_code]),
                **_at_the_door(person.nhs_number),
            )
        )
    ctx.patients = Patient.objects.bulk_create(patients, batch_size=2000)
    for area in AREAS:
        hood = ctx.neighbourhoods[area.code]
        hood.population = sum(1 for p in ctx.people if p.area_code == area.code)
        hood.save(update_fields=["population"])
    conditions = [
        Condition(
            patient=patient,
            system=system,
            code=code,
            display=display,
            recorded_on=ctx.today - dt.timedelta(days=ctx.rng.randint(30, 3650)),
        )
        for patient, person in zip(ctx.patients, ctx.people, strict=True)
        for system, code, display in person.conditions
    ]
    Condition.objects.bulk_create(conditions, batch_size=5000)


def _caseload_weight(person: Resident, today: dt.date) -> float:
    """Older people with more long-term conditions are likelier to need community care."""
    age = person.age_on(today)
    if age < 18:
        return 0.0
    base = 0.002 if age < 65 else 0.02 if age < 75 else 0.07 if age < 85 else 0.2
    return min(0.9, base * (1 + 0.6 * len(person.conditions)))


def _caseloads(ctx: _Context, residents_count: int) -> None:
    rng, today = ctx.rng, ctx.today
    target = round(1_500 * residents_count / 50_000)
    weights = [_caseload_weight(p, today) for p in ctx.people]
    chosen: list[int] = []
    seen: set[int] = set()
    candidates = [i for i, w in enumerate(weights) if w > 0]
    cumulative = list(itertools.accumulate(weights[c] for c in candidates))
    while len(chosen) < min(target, len(candidates)):
        i = rng.choices(candidates, cum_weights=cumulative, k=1)[0]
        if i not in seen:
            seen.add(i)
            chosen.append(i)
    entries, members, consents = [], [], []
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    for i in chosen:
        person, patient = ctx.people[i], ctx.patients[i]
        nursing = (
            "central-nursing" if person.area_code == "wrexford-central" else "north-hills-nursing"
        )
        roll = rng.random()
        teams = (
            [nursing]
            if roll < 0.72
            else ["therapy-reablement"]
            if roll < 0.9
            else ["ucr"]
            if roll < 0.95
            else [nursing, "therapy-reablement"]
        )
        for team in teams:
            days = rng.randint(1, 14) if team == "ucr" else rng.randint(3, 400)
            entries.append(
                CaseloadEntry(
                    team=ctx.teams[team],
                    patient=patient,
                    admitted_on=today - dt.timedelta(days=days),
                    reason="Demo caseload",
                )
            )
        members.append(
            CareTeamMember(
                patient=patient,
                organisation=patient.registered_practice,
                role="GP",
                started_on=today - dt.timedelta(days=rng.randint(30, 3000)),
            )
        )
        if rng.random() < 0.25:
            members.append(
                CareTeamMember(
                    patient=patient,
                    organisation=ctx.organisations["WXC01"],
                    role="Social worker",
                    started_on=today - dt.timedelta(days=rng.randint(7, 300)),
                )
            )
        if rng.random() < 0.12:
            members.append(
                CareTeamMember(
                    patient=patient,
                    organisation=ctx.organisations["VWX01"],
                    role="Befriender",
                    started_on=today - dt.timedelta(days=rng.randint(7, 300)),
                )
            )
        consent_roll = rng.random()
        scope = (
            ConsentScope.SHARE_ACROSS_ALLIANCE
            if consent_roll < 0.70
            else ConsentScope.OWN_ORGANISATION_ONLY
            if consent_roll < 0.88
            else ConsentScope.DISSENT
            if consent_roll < 0.94
            else None  # not yet recorded
        )
        if scope is not None:
            consents.append(
                ConsentDecision(
                    patient=patient,
                    scope=scope,
                    method=rng.choice(ConsentMethod.values[:4]),
                    recorded_at=now - dt.timedelta(days=rng.randint(1, 300)),
                    note="Demo",
                    is_current=True,
                )
            )
    ctx.caseload_entries = CaseloadEntry.objects.bulk_create(entries, batch_size=2000)
    CareTeamMember.objects.bulk_create(members, batch_size=2000)
    ConsentDecision.objects.bulk_create(consents, batch_size=2000)


def _care(ctx: _Context, _n: int) -> None:
    from .care import build_care_plans_and_visits

    build_care_plans_and_visits(ctx)


SHIFT_PATTERNS = {  # (start, end, break window, break minutes) for each team's staff
    "central-nursing": [(dt.time(8), dt.time(16, 30), (dt.time(12), dt.time(14)), 30)],
    "north-hills-nursing": [(dt.time(8), dt.time(16, 30), (dt.time(12), dt.time(14)), 30)],
    "therapy-reablement": [(dt.time(8, 30), dt.time(17), (dt.time(12), dt.time(14)), 30)],
    "ucr": [
        (dt.time(8), dt.time(16), (dt.time(11, 30), dt.time(13, 30)), 30),
        (dt.time(12), dt.time(20), (dt.time(15, 30), dt.time(17, 30)), 30),
    ],
}


def _shifts(ctx: _Context, _n: int) -> None:
    """A week of shifts from yesterday; about two in three staff work at weekends."""
    shifts = []
    members = StaffMember.objects.filter(
        team__code__in=SHIFT_PATTERNS, role__in=[Role.CLINICIAN, Role.TEAM_LEADER]
    )
    for offset in range(-1, 8):
        day = ctx.today + dt.timedelta(days=offset)
        for i, member in enumerate(members.select_related("team").order_by("pk")):
            if day.isoweekday() >= 6 and ctx.rng.random() < 0.35:
                continue
            patterns = SHIFT_PATTERNS[member.team.code]
            start, end, (b1, b2), minutes = patterns[i % len(patterns)]
            shifts.append(
                Shift(
                    staff=member,
                    date=day,
                    starts_at=start,
                    ends_at=end,
                    break_earliest=b1,
                    break_latest=b2,
                    break_minutes=minutes,
                )
            )
    Shift.objects.bulk_create(shifts)


def _referrals(ctx: _Context, residents_count: int) -> None:
    build_referral_history(
        rng=ctx.rng, today=ctx.today, teams=ctx.teams, residents_count=residents_count
    )


def _planner_statistics(ctx: _Context, _n: int) -> None:
    """Tell PostgreSQL how big the tables just filled are, before the extract reads them.

    The place is built in one transaction; statistics taken while the tables were empty
    (autovacuum after an earlier test's flush, or a fresh database) make the planner join
    visits to people by scanning every person for every visit: the extract then took
    minutes. ANALYZE inside the transaction counts the rows it has written.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE caseload_visit, caseload_patient, caseload_caseloadentry, "
            "referrals_referral, referrals_referralevent, organisations_team, "
            "organisations_organisation, organisations_neighbourhood, workforce_staffmember"
        )


def _metrics(ctx: _Context, _n: int) -> None:
    from .metrics_history import build_metrics_history

    build_metrics_history(rng=ctx.rng, today=ctx.today, scale=max(0.2, _n / 50_000))


def _alliance(ctx: _Context, _n: int) -> None:
    from .alliance import build_feedback_and_contract

    build_feedback_and_contract(
        rng=ctx.rng,
        today=ctx.today,
        teams=ctx.teams,
        organisations=ctx.organisations,
        users=ALLIANCE_USERS,
        password=DEMO_PASSWORD,
    )


def _capacity(ctx: _Context, _n: int) -> None:
    from .capacity import build_capacity
    from .referral_history import DAYS as HISTORY_DAYS

    build_capacity(
        rng=ctx.rng,
        today=ctx.today,
        organisations=ctx.organisations,
        teams=ctx.teams,
        password=DEMO_PASSWORD,
        centre=TOWN_CENTRE,
        referral_days=HISTORY_DAYS,
    )


def _discharge(ctx: _Context, _n: int) -> None:
    from .discharge import build_discharge

    build_discharge(rng=ctx.rng, today=ctx.today)


def _frailty(ctx: _Context, _n: int) -> None:
    from .frailty import build_frailty

    build_frailty(rng=ctx.rng, today=ctx.today)


STEPS: list[Callable[[_Context, int], None]] = [
    _organisations,
    _teams,
    _staff,
    _residents,
    _caseloads,
    build_directory,
    _care,
    _shifts,
    _referrals,
    _planner_statistics,
    _metrics,
    _alliance,
    _capacity,
    _discharge,
    _frailty,
]
