"""The hospital's list and the day's sitrep, read from the database for one hospital."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from wraparound.organisations.models import Organisation

from .models import MARKS, HospitalStay
from .sitrep import DayReport, StaySnapshot, day_report

# The cost of a bed day used for the cost of delays: NHS England's figure for an acute
# excess bed day is about this; a place sets its own (money in whole pence).
BED_DAY_PENCE = 395_00


@dataclass(frozen=True)
class ListRow:
    stay: HospitalStay
    length_of_stay: int
    marks: tuple[int, ...]  # the 7, 14 and 21-day marks reached
    waited_days: int | None  # days since ready, for those ready
    reason: str


def in_hospital(hospital: Organisation) -> QuerySet[HospitalStay]:
    return HospitalStay.objects.filter(hospital=hospital, discharged_at__isnull=True)


def hospital_list(stays: QuerySet[HospitalStay], today: dt.date) -> list[ListRow]:
    """Ready people first, the longest waiting first; then the rest, the longest stay first."""
    rows = []
    shown = stays.select_related("patient").only(
        "ward", "admitted_at", "ready_since", "pathway", "delay_reason", "delay_since",
        "hub_referral", "patient__given_name", "patient__family_name",
    )  # fmt: skip
    for stay in shown:
        los = stay.length_of_stay(today)
        waited = (today - stay.ready_since).days if stay.ready_since else None
        rows.append(
            ListRow(stay, los, tuple(m for m in MARKS if los >= m), waited, stay.waiting_for)
        )
    rows.sort(key=lambda r: (r.waited_days is None, -(r.waited_days or 0), -r.length_of_stay))
    return rows


def long_stays(stays: QuerySet[HospitalStay], today: dt.date) -> dict[int, int]:
    """How many in bed have reached each mark (7, 14, 21 days), counted in the database."""
    tz = timezone.get_current_timezone()
    return {
        mark: stays.filter(
            admitted_at__lt=dt.datetime.combine(today - dt.timedelta(days=mark - 1), dt.time(0), tz)
        ).count()
        for mark in MARKS
    }


def snapshots(hospital: Organisation, day: dt.date) -> list[StaySnapshot]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tz)
    end = start + dt.timedelta(days=1)
    stays = HospitalStay.objects.filter(hospital=hospital, admitted_at__lt=end).filter(
        Q(discharged_at__isnull=True) | Q(discharged_at__gte=start)
    )
    return [
        StaySnapshot(
            hospital=hospital.ods_code,
            admitted_on=timezone.localdate(s.admitted_at),
            ready_since=s.ready_since,
            pathway=s.pathway,
            delay_reason=s.delay_reason,
            discharged_on=timezone.localdate(s.discharged_at) if s.discharged_at else None,
        )
        for s in stays.only(
            "admitted_at", "ready_since", "pathway", "delay_reason", "discharged_at"
        )
    ]


def sitrep(hospital: Organisation, day: dt.date) -> DayReport:
    return day_report(snapshots(hospital, day), hospital.ods_code, day)
