"""The monthly virtual-ward return, in the shape NHS England publishes its virtual ward
statistics: capacity, occupancy % and capacity per 100,000 GP-registered population aged
16 and over, for each ward and the place.

Occupancy is the mean over the month's days of the people on the ward at 08:00, over the
ward's places (the national return counts a weekly snapshot; a daily one is steadier and is
what a ward's own census gives).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from wraparound.caseload.models import Patient
from wraparound.organisations.models import OrganisationKind, Place

from .models import Ward, WardKind, WardStay

SNAPSHOT = dt.time(8, 0)
ADULT_AGE = 16
COLUMNS = (
    "Period",
    "Place",
    "Provider code",
    "Virtual ward",
    "Virtual ward capacity",
    "Occupancy (%)",
    "Capacity per 100,000 GP registered population (16+)",
)


@dataclass(frozen=True)
class ReturnRow:
    period: str
    place: str
    provider_code: str
    ward: str
    capacity: int
    occupancy_percent: float
    per_100k: float

    def cells(self) -> list[str]:
        return [
            self.period,
            self.place,
            self.provider_code,
            self.ward,
            str(self.capacity),
            f"{self.occupancy_percent:.1f}",
            f"{self.per_100k:.1f}",
        ]


def adults_registered(place: Place, on: dt.date) -> int:
    """People aged 16 and over registered with the place's GP practices on ``on``."""
    born_by = on.replace(year=on.year - ADULT_AGE)
    return Patient.objects.filter(
        registered_practice__place=place,
        registered_practice__kind=OrganisationKind.GP_PRACTICE,
        date_of_birth__lte=born_by,
    ).count()


def _mean_census(ward: Ward, first: dt.date, last: dt.date) -> float:
    tz = timezone.get_current_timezone()
    moments = [
        dt.datetime.combine(first + dt.timedelta(days=d), SNAPSHOT, tz)
        for d in range((last - first).days + 1)
    ]
    stays = WardStay.objects.filter(ward=ward, admitted_at__lte=moments[-1]).filter(
        Q(discharged_at__isnull=True) | Q(discharged_at__gt=moments[0])
    )
    spans = list(stays.values_list("admitted_at", "discharged_at"))
    on_ward = 0
    for moment in moments:
        on_ward += sum(1 for a, d in spans if a <= moment and (d is None or d > moment))
    return on_ward / len(moments)


def monthly_return(place: Place, year: int, month: int) -> list[ReturnRow]:
    """One row per virtual ward of the place, then the place's total."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    last = min(last, timezone.localdate())
    period = f"{first:%B %Y}"
    adults = adults_registered(place, last)
    wards = Ward.objects.filter(
        kind=WardKind.VIRTUAL_WARD, service__provider__place=place
    ).select_related("service__provider")
    rows = []
    total_places = total_census = 0.0
    for ward in wards:
        census = _mean_census(ward, first, last)
        total_places += ward.places
        total_census += census
        rows.append(
            ReturnRow(
                period,
                place.name,
                ward.service.provider.ods_code,
                str(ward),
                ward.places,
                100 * census / ward.places,
                100_000 * ward.places / adults if adults else 0.0,
            )
        )
    rows.append(
        ReturnRow(
            period,
            place.name,
            "",
            "All virtual wards",
            int(total_places),
            100 * total_census / total_places if total_places else 0.0,
            100_000 * total_places / adults if adults else 0.0,
        )
    )
    return rows
