"""Fifteen months of metrics history for the demo: our own teams before the operational
history begins, and peer community providers' CSDS submissions to benchmark against.

Some units carry real signals, so that every metrics page tells a story: Wrexford's UCR
team improves steadily, the Northfield nursing team shifts up after a new rota, and one
peer's urgent response team is persistently below the funnel's 99.8% limit.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from wraparound.caseload.models import CaseloadEntry, EmergencyAdmission
from wraparound.metrics.extract import month_of, refresh_extract, week_of
from wraparound.metrics.models import ContactRecord, ReferralRecord, ReportingUnit, TeamMonth
from wraparound.organisations.models import Organisation, OrganisationKind

HISTORY_MONTHS = 15
PEERS = (  # (ODS code, name, place)
    ("RXA", "Ashcombe Community Healthcare NHS Trust", "ashcombe"),
    ("RXB", "Bramley Community Services", "bramley"),
    ("RXC", "Castleford Health and Care NHS Trust", "castleford"),
    ("RXD", "Dunmore Community NHS Trust", "dunmore"),
    ("RXE", "Eastholme Integrated Care", "eastholme"),
    ("RXF", "Fernley Community Health CIC", "fernley"),
    ("RXG", "Greystone Community NHS Trust", "greystone"),
    ("RXH", "Hartfield Healthcare NHS Trust", "hartfield"),
)
STRUGGLING_PEER = "RXD"


@dataclass
class TeamProfile:
    provider: str
    team: str
    kind: str  # nursing | ucr | therapy
    place: str
    size: float  # scales volumes
    p_fast: float  # chance the urgent response meets its standard
    trend: float = 0.0  # change in p_fast per month
    p_completed: float = 0.93
    shift_at: int | None = None  # month index where completion shifts up
    continuity: float = 0.6  # chance the named nurse makes the visit
    bounce: float = 0.08  # declines or redirects per referral
    admissions_per_1000: float = 45.0
    travel_share: float = 0.22
    mean_age: float = 79.0
    deprivation: float = 5.0
    volume: float = 1.0  # scales the number of records, not the team's size


def _profiles(rng: random.Random) -> list[TeamProfile]:
    profiles = [
        TeamProfile("RWX", "central-nursing", "nursing", "wrexford", 1.0, 0.0, continuity=0.55),
        TeamProfile(
            "RWX",
            "north-hills-nursing",
            "nursing",
            "wrexford",
            1.1,
            0.0,
            p_completed=0.88,
            shift_at=HISTORY_MONTHS - 7,
            continuity=0.5,
            travel_share=0.3,
            deprivation=7.0,
        ),
        TeamProfile("RWX", "ucr", "ucr", "wrexford", 2.5, 0.66, trend=0.012),
        TeamProfile("RWX", "therapy-reablement", "therapy", "wrexford", 0.7, 0.8),
    ]
    for code, _name, place in PEERS:
        for kind in ("nursing", "ucr", "therapy"):
            p_fast = (
                0.42 if (code == STRUGGLING_PEER and kind == "ucr") else rng.uniform(0.74, 0.86)
            )
            profiles.append(
                TeamProfile(
                    code,
                    f"{place}-{kind}",
                    kind,
                    place,
                    rng.uniform(0.6, 1.6),
                    p_fast,
                    p_completed=rng.uniform(0.9, 0.96),
                    continuity=rng.uniform(0.4, 0.75),
                    bounce=0.2 if code == "RXF" else rng.uniform(0.04, 0.1),
                    admissions_per_1000=rng.uniform(30, 60),
                    travel_share=rng.uniform(0.18, 0.32),
                    mean_age=rng.uniform(74, 83),
                    deprivation=rng.uniform(3, 8),
                )
            )
    return profiles


def _units(profiles: list[TeamProfile]) -> None:
    names = {code: name for code, name, _place in PEERS}
    for p in profiles:
        if p.provider in names:
            ReportingUnit.objects.get_or_create(
                kind="team",
                code=p.team,
                defaults={
                    "name": f"{p.place.title()} {_kind_name(p.kind)}",
                    "provider_code": p.provider,
                },
            )
            ReportingUnit.objects.get_or_create(
                kind="provider",
                code=p.provider,
                defaults={"name": names[p.provider], "provider_code": p.provider},
            )
            ReportingUnit.objects.get_or_create(
                kind="place", code=p.place, defaults={"name": p.place.title()}
            )


def _kind_name(kind: str) -> str:
    return {
        "nursing": "Neighbourhood Nursing",
        "ucr": "Urgent Community Response",
        "therapy": "Therapy and Reablement",
    }[kind]


def build_metrics_history(*, rng: random.Random, today: dt.date, scale: float = 1.0) -> None:
    operational_start = today - dt.timedelta(days=90)
    first_month = month_of(operational_start)
    months = []
    m = first_month
    for _ in range(HISTORY_MONTHS):
        m = (m - dt.timedelta(days=1)).replace(day=1)
        months.append(m)
    months.reverse()
    # Peers' submissions run on to the last full month; ours come from the extract after the start.
    peer_months = list(months)
    m = first_month
    while m < month_of(today):
        peer_months.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    profiles = _profiles(rng)
    for p in profiles:
        # Fewer records in a small demo; the struggling team keeps enough for its signal to show.
        p.volume = max(scale, 1.0) if p.p_fast < 0.5 else scale
    _admissions(rng, operational_start, today)
    _first_contacts(rng, today)
    referrals, contacts, team_months = [], [], []
    for p in profiles:
        for i, month in enumerate(peer_months if p.provider != "RWX" else months):
            referrals += _referrals(rng, p, i, month)
            contacts += _contacts(rng, p, i, month)
            team_months.append(_team_month(rng, p, month))
    ReferralRecord.objects.bulk_create(referrals, batch_size=5000)
    ContactRecord.objects.bulk_create(contacts, batch_size=5000)
    TeamMonth.objects.bulk_create(team_months, batch_size=5000)
    _units(profiles)
    refresh_extract(since=operational_start, until=today)


def _day_in(rng: random.Random, month: dt.date) -> dt.date:
    return month + dt.timedelta(days=rng.randrange(28))


def _referrals(rng: random.Random, p: TeamProfile, i: int, month: dt.date) -> list[ReferralRecord]:
    urgency = {"ucr": "2_hour", "therapy": "2_day", "nursing": "routine"}[p.kind]
    limit = {"2_hour": 120, "2_day": 2880, "routine": 14 * 1440}[urgency]
    p_fast = min(0.97, p.p_fast + p.trend * i)
    out = []
    for n in range(round(rng.gauss(60, 8) * p.size * p.volume)):
        day = _day_in(rng, month)
        fast = rng.random() < (p_fast if urgency != "routine" else 0.9)
        minutes = rng.randint(15, limit) if fast else rng.randint(limit + 1, limit * 3)
        received = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.randint(8, 19), rng.randint(0, 59)))
        )
        out.append(
            ReferralRecord(
                source_id=f"hist-{p.team}-{month:%Y%m}-r{n}",
                provider_code=p.provider,
                team_code=p.team,
                neighbourhood_code="",
                place_code=p.place,
                patient_key=f"{p.team}-p{rng.randrange(400)}",
                age=max(18, round(rng.gauss(p.mean_age, 8))),
                deprivation_decile=min(10, max(1, round(rng.gauss(p.deprivation, 2)))),
                received_at=received,
                week=week_of(day),
                month=month,
                source=rng.choice(["gp", "ambulance", "hospital_discharge", "nhs_111"]),
                urgency=urgency,
                minutes_to_first_contact=minutes,
                days_to_first_contact=minutes // 1440,
                declined_or_redirected=1 if rng.random() < p.bounce else 0,
                status="completed",
                closed_at=received + dt.timedelta(days=10),
            )
        )
    return out


def _contacts(rng: random.Random, p: TeamProfile, i: int, month: dt.date) -> list[ContactRecord]:
    completed = p.p_completed + (0.05 if p.shift_at is not None and i >= p.shift_at else 0.0)
    people = max(3, round(35 * p.size * p.volume))
    staff = [f"{p.team}-s{k}" for k in range(10)]
    out = []
    for person in range(people):
        named = staff[person % len(staff)]
        for n in range(rng.randint(3, 9)):
            day = _day_in(rng, month)
            roll = rng.random()
            outcome = (
                "completed"
                if roll < completed
                else "missed"
                if roll < completed + (1 - completed) * 0.7
                else "cancelled"
            )
            out.append(
                ContactRecord(
                    source_id=f"hist-{p.team}-{month:%Y%m}-c{person}-{n}",
                    provider_code=p.provider,
                    team_code=p.team,
                    neighbourhood_code="",
                    place_code=p.place,
                    patient_key=f"{p.team}-p{person}",
                    staff_key=named if rng.random() < p.continuity else rng.choice(staff),
                    contact_date=day,
                    week=week_of(day),
                    month=month,
                    planned=rng.random() < 0.9,
                    outcome=outcome,
                    duration_minutes=rng.choice([20, 30, 30, 45, 60]),
                )
            )
    return out


def _team_month(rng: random.Random, p: TeamProfile, month: dt.date) -> TeamMonth:
    caseload = max(20, round(rng.gauss(300, 20) * p.size))
    wte = max(2.0, round(caseload / rng.gauss(24, 1.5), 1))
    return TeamMonth(
        provider_code=p.provider,
        team_code=p.team,
        neighbourhood_code="",
        place_code=p.place,
        month=month,
        caseload_people=caseload,
        whole_time_equivalents=wte,
        emergency_admissions=max(0, round(rng.gauss(caseload * p.admissions_per_1000 / 1000, 2))),
        planned_travel_minutes=round(
            p.travel_share * wte * 37.5 * 60 * 4 * rng.uniform(0.95, 1.05)
        ),
        planned_paid_minutes=wte * 37.5 * 60 * 4,
        mean_age=p.mean_age,
        mean_deprivation_decile=p.deprivation,
    )


def _admissions(rng: random.Random, since: dt.date, today: dt.date) -> None:
    """Emergency admissions among people on the caseloads, as the hospital would report them."""
    hospital = Organisation.objects.filter(kind=OrganisationKind.ACUTE_TRUST).order_by("pk").first()
    if hospital is None:
        return
    people = sorted(set(CaseloadEntry.objects.values_list("patient_id", flat=True)))
    admissions = []
    seen: set[tuple[int, dt.date]] = set()
    days = (today - since).days
    for patient_id in people:
        if rng.random() < 0.12:
            day = since + dt.timedelta(days=rng.randrange(days))
            if (patient_id, day) not in seen:
                seen.add((patient_id, day))
                admissions.append(
                    EmergencyAdmission(
                        patient_id=patient_id,
                        hospital=hospital,
                        admitted_on=day,
                        primary_diagnosis=rng.choice(
                            ["Fall", "Pneumonia", "Urinary tract infection", "Heart failure"]
                        ),
                    )
                )
    EmergencyAdmission.objects.bulk_create(admissions)


FIRST_CONTACT_ON_TIME = {"2_hour": (0.8, 120), "2_day": (0.85, 2880), "routine": (0.9, 14 * 1440)}


def _first_contacts(rng: random.Random, today: dt.date) -> None:
    """The first visit after each accepted referral, mostly (not always) within its standard."""
    from wraparound.caseload.models import Visit
    from wraparound.referrals.models import Referral
    from wraparound.workforce.models import StaffMember

    staff_by_team: dict[int, list[int]] = {}
    for member in StaffMember.objects.filter(team__isnull=False).order_by("pk"):
        staff_by_team.setdefault(member.team_id, []).append(member.pk)
    now = timezone.now()
    visits = []
    accepted = Referral.objects.filter(
        status__in=["accepted", "completed"], offered_team__isnull=False
    )
    for referral in accepted.order_by("pk"):
        on_time, limit = FIRST_CONTACT_ON_TIME.get(referral.urgency, (0.9, 14 * 1440))
        minutes = (
            rng.randint(20, limit) if rng.random() < on_time else rng.randint(limit + 1, limit * 2)
        )
        start = max(
            referral.accepted_at or referral.received_at,
            referral.received_at + dt.timedelta(minutes=minutes),
        )
        if start >= now:
            continue
        team_staff = staff_by_team.get(referral.offered_team_id, [])
        visits.append(
            Visit(
                patient_id=referral.patient_id,
                team_id=referral.offered_team_id,
                task=f"First contact (referral #{referral.pk})",
                date=timezone.localdate(start),
                window_start=start,
                window_end=start + dt.timedelta(hours=1),
                planned_start=start,
                duration_minutes=45,
                status="completed",
                finished_at=start + dt.timedelta(minutes=45),
                assigned_to_id=rng.choice(team_staff) if team_staff else None,
            )
        )
    Visit.objects.bulk_create(visits, batch_size=2000)
