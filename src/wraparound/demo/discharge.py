"""A step of the demo place builder: Wrexford General's stays over the last 90 days, with
today's list holding people on every discharge pathway and in every family of delay.
Its own random numbers, drawn from the place's once, so nothing built before it changes."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from wraparound.access.actors import System
from wraparound.caseload.models import Patient
from wraparound.discharge.actions import record_hospital_days
from wraparound.discharge.delays import FAMILIES, REASONS
from wraparound.discharge.models import HospitalStay, Pathway
from wraparound.organisations.models import Organisation

HOSPITAL = "RWY"
DAYS = 90
ADMISSIONS_PER_DAY = 9  # a small general hospital's older people's wards
WARDS = ("Ward 7 (frailty)", "Ward 9 (respiratory)", "Ward 12 (medicine)", "Ward 14 (stroke)")
# Of those who stop meeting the criteria to reside, the national split by pathway.
PATHWAY_SHARES = {"0": 0.5, "1": 0.3, "2": 0.12, "3": 0.08}


def _stay(
    rng: random.Random, hospital: Organisation, person: int, admitted: dt.datetime, now: dt.datetime
) -> HospitalStay:
    medical_days = rng.expovariate(1 / 5.0)
    ready = admitted + dt.timedelta(days=medical_days)
    pathway = rng.choices(list(PATHWAY_SHARES), weights=list(PATHWAY_SHARES.values()))[0]
    wait = rng.expovariate(1 / (0.2, 1.0, 2.5, 4.0)[int(pathway)])
    leaves = ready + dt.timedelta(days=wait)
    stay = HospitalStay(
        hospital=hospital,
        encounter_id=f"WG-{admitted:%Y%m%d%H%M}-{person}",
        patient_id=person,
        ward=rng.choice(WARDS),
        admitted_at=admitted,
        received_at=admitted,
        changed_at=now,
    )
    if ready <= now:
        stay.ready_since = timezone.localdate(ready)
        stay.pathway = pathway
    if leaves <= now:
        stay.discharged_at = leaves
    elif stay.ready_since and stay.ready_since < timezone.localdate(now):
        stay.delay_reason = rng.choice(list(REASONS))
        stay.delay_since = stay.ready_since
    return stay


def _every_pathway_and_family(stays: list[HospitalStay]) -> None:
    """Today's waiting list shows each pathway and each family of delay at least once."""
    waiting = [s for s in stays if s.discharged_at is None and s.ready_since and s.delay_reason]
    by_family = {family: [r for r in REASONS.values() if r.family == family] for family in FAMILIES}
    for i, family in enumerate(FAMILIES):
        if i < len(waiting):
            waiting[i].delay_reason = by_family[family][0].code
    for i, pathway in enumerate(Pathway.values):
        if len(FAMILIES) + i < len(waiting):
            waiting[len(FAMILIES) + i].pathway = pathway


def build_discharge(*, rng: random.Random, today: dt.date) -> None:
    own = random.Random(rng.random())
    hospital = Organisation.objects.get(ods_code=HOSPITAL)
    tz = timezone.get_current_timezone()
    now = dt.datetime.combine(today, dt.time(0), tz)  # as the list stood at midnight
    born_by = today.replace(year=today.year - 65)
    people = list(
        Patient.objects.filter(date_of_birth__lte=born_by)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    in_bed: dict[int, dt.datetime] = {}  # person -> when they leave
    stays = []
    moment = now - dt.timedelta(days=DAYS)
    while True:
        moment += dt.timedelta(days=own.expovariate(ADMISSIONS_PER_DAY))
        if moment >= now:
            break
        person = own.choice(people)
        if person in in_bed and in_bed[person] > moment:
            continue
        stay = _stay(own, hospital, person, moment, now)
        in_bed[person] = stay.discharged_at or now + dt.timedelta(days=365)
        stays.append(stay)
    _every_pathway_and_family(stays)
    HospitalStay.objects.bulk_create(stays, batch_size=2000)
    _referred_to_the_hub(today)
    # The metrics extract's hospital days, as the nightly count would have written them.
    record_hospital_days(
        by=System("demo"), first=today - dt.timedelta(days=DAYS), last=today - dt.timedelta(days=1)
    )


def _referred_to_the_hub(today: dt.date) -> None:
    """The ward has referred to the hub everyone waiting on pathways 1 to 3 since before
    today, as the hospital's discharge nurse (the demo's ``hospital``)."""
    from django.contrib.auth import get_user_model

    from wraparound.discharge.actions import refer_to_hub

    nurse = get_user_model().objects.get(username="hospital")
    waiting = HospitalStay.objects.filter(
        hospital__ods_code=HOSPITAL,
        discharged_at__isnull=True,
        ready_since__lt=today,
        pathway__in=["1", "2", "3"],
    ).order_by("ready_since", "pk")
    for stay in waiting:
        refer_to_hub(stay_id=stay.pk, by=nurse)
    _one_bridged(today)


def _one_bridged(place_today: dt.date) -> None:
    """The hub has planned one pathway 1 discharge: home today, with bridging care until the
    reablement the directory offers starts in three days (the first it can)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from wraparound.discharge.actions import plan_discharge
    from wraparound.discharge.pathways import bridging_answer
    from wraparound.referrals.routing import services_for

    hub = get_user_model().objects.get(username="coordinator")
    now = timezone.now()
    today = max(place_today, timezone.localdate(now))  # a plan is made today, even for a past place
    waiting = HospitalStay.objects.filter(
        hospital__ods_code=HOSPITAL, discharged_at__isnull=True, pathway="1"
    ).exclude(hub_referral=None)
    for stay in waiting.select_related("patient", "hub_referral").order_by("ready_since", "pk"):
        assert stay.hub_referral is not None  # excluded above
        package = services_for(stay.hub_referral, now)
        bridging = bridging_answer(stay, now).eligible
        if not (package and package.eligible and bridging):
            continue
        starts = max(package.eligible[0].starts_on or today, today + dt.timedelta(days=3))
        try:
            plan_discharge(
                stay_id=stay.pk,
                leaves_on=today,
                package_service_id=package.eligible[0].service.id,
                package_starts=starts,
                bridging_service_id=bridging[0].service.id,
                by=hub,
            )
        except ValidationError:
            continue
        return
