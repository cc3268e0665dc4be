"""Refresh the metrics extract from our own place's operational records.

Referrals, visits, caseloads, staffing, admissions and published day plans become the
CSDS-shaped records that every metric reads; people and staff are keyed by a keyed hash,
never their identity. Re-running replaces our own records for the window and leaves
peers' (their CSDS submissions) untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from wraparound.caseload.models import CaseloadEntry, EmergencyAdmission, Patient, Visit
from wraparound.caseload.models.people import age_on
from wraparound.organisations.models import Neighbourhood, Organisation, Place, Team
from wraparound.referrals.models import Referral
from wraparound.scheduling.models import DayPlan
from wraparound.workforce.models import Shift, StaffMember

from .models import ContactRecord, ReferralRecord, ReportingUnit, TeamMonth
from .rollups import build_rollups

OWN_PREFIX = "own-"
CLINICAL_ROLES = ("clinician", "team_leader")


def pseudonym(kind: str, pk: int | None) -> str:
    """A stable key for a person or member of staff that cannot be turned back into them."""
    if pk is None:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def refresh_units() -> None:
    """Reporting units for our own place's teams, providers, neighbourhoods and the place."""
    rows = [(ReportingUnit.Kind.PLACE, p.code, p.name, "") for p in Place.objects.all()]
    rows += [
        (ReportingUnit.Kind.NEIGHBOURHOOD, n.code, n.name, "") for n in Neighbourhood.objects.all()
    ]
    teams = (
        Team.objects.filter(caseload_entries__isnull=False)
        .select_related("organisation")
        .distinct()
    )
    rows += [(ReportingUnit.Kind.TEAM, t.code, t.name, t.organisation.ods_code) for t in teams]
    providers = Organisation.objects.filter(teams__in=teams).distinct()
    rows += [(ReportingUnit.Kind.PROVIDER, o.ods_code, o.name, o.ods_code) for o in providers]
    rows.append(
        (ReportingUnit.Kind.TEAM, "unrouted", "Not yet routed to a team (coordination centre)", "")
    )
    for kind, code, name, provider in rows:
        ReportingUnit.objects.update_or_create(
            kind=kind,
            code=code,
            defaults={"name": name, "provider_code": provider, "is_own_place": True},
        )


@transaction.atomic
def refresh_extract(*, since: dt.date, until: dt.date | None = None) -> dict[str, int]:
    """Replace our own records from ``since`` to ``until`` (default today); counts written."""
    until = until or timezone.localdate()
    refresh_units()
    place = Place.objects.order_by("pk").first()
    place_code = place.code if place else "place"
    ReferralRecord.objects.filter(
        source_id__startswith=OWN_PREFIX, month__gte=month_of(since)
    ).delete()
    ContactRecord.objects.filter(
        source_id__startswith=OWN_PREFIX, month__gte=month_of(since)
    ).delete()
    TeamMonth.objects.filter(
        month__gte=month_of(since), team_code__in=Team.objects.values("code")
    ).delete()
    counts = {
        "referrals": _referrals(since, until, place_code),
        "contacts": _contacts(since, until, place_code),
        "team months": _team_months(since, until, place_code),
    }
    build_rollups()
    return counts


def _referrals(since: dt.date, until: dt.date, place_code: str) -> int:
    first_contact = (
        Visit.objects.filter(
            patient=OuterRef("patient"),
            team=OuterRef("offered_team"),
            status="completed",
            planned_start__gte=OuterRef("received_at"),
        )
        .order_by()
        .values("patient")
        .annotate(first=Min("planned_start"))
        .values("first")
    )
    referrals = (
        Referral.objects.filter(received_at__date__gte=since, received_at__date__lte=until)
        .annotate(first_contact=Subquery(first_contact))
        .select_related("patient", "offered_team__organisation")
    )
    records = []
    for r in referrals.iterator(chunk_size=2000):
        received = timezone.localtime(r.received_at)
        minutes = (
            int((r.first_contact - r.received_at).total_seconds() // 60)
            if r.first_contact
            else None
        )
        team = r.offered_team
        records.append(
            ReferralRecord(
                source_id=f"{OWN_PREFIX}ref-{r.pk}",
                provider_code=team.organisation.ods_code if team else "",
                team_code=team.code if team else "unrouted",
                neighbourhood_code=r.patient.neighbourhood.code
                if r.patient.neighbourhood_id
                else "",
                place_code=place_code,
                patient_key=pseudonym("patient", r.patient_id),
                age=age_on(r.patient.date_of_birth, received.date()),
                deprivation_decile=r.patient.deprivation_decile,
                received_at=r.received_at,
                week=week_of(received.date()),
                month=month_of(received.date()),
                source=r.source,
                urgency=r.urgency or "routine",
                minutes_to_first_contact=minutes,
                days_to_first_contact=(
                    timezone.localtime(r.first_contact).date() - received.date()
                ).days
                if r.first_contact
                else None,
                declined_or_redirected=r.redirect_count
                + (1 if r.status in {"declined", "returned"} else 0),
                status=r.status,
                closed_at=r.closed_at,
            )
        )
    ReferralRecord.objects.bulk_create(records, batch_size=5000)
    return len(records)


def _contacts(since: dt.date, until: dt.date, place_code: str) -> int:
    visits = (
        Visit.objects.filter(
            date__gte=since, date__lte=until, status__in=["completed", "missed", "cancelled"]
        )
        .select_related("team__organisation", "patient__neighbourhood")
        .only(
            "pk",
            "date",
            "status",
            "intervention_id",
            "assigned_to_id",
            "duration_minutes",
            "patient_id",
            "team__code",
            "team__organisation__ods_code",
            "patient__neighbourhood__code",
        )
    )
    records = [
        ContactRecord(
            source_id=f"{OWN_PREFIX}visit-{v.pk}",
            provider_code=v.team.organisation.ods_code,
            team_code=v.team.code,
            neighbourhood_code=v.patient.neighbourhood.code if v.patient.neighbourhood else "",
            place_code=place_code,
            patient_key=pseudonym("patient", v.patient_id),
            staff_key=pseudonym("staff", v.assigned_to_id),
            contact_date=v.date,
            week=week_of(v.date),
            month=month_of(v.date),
            planned=v.intervention_id is not None,
            outcome=v.status,
            duration_minutes=v.duration_minutes,
        )
        for v in visits.iterator(chunk_size=5000)
    ]
    ContactRecord.objects.bulk_create(records, batch_size=5000)
    return len(records)


def _team_months(since: dt.date, until: dt.date, place_code: str) -> int:
    records = []
    month = month_of(since)
    while month <= until:
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        month_end = min(next_month - dt.timedelta(days=1), until)
        for team in (
            Team.objects.filter(caseload_entries__isnull=False)
            .select_related("organisation")
            .distinct()
        ):
            on_caseload = CaseloadEntry.objects.filter(
                team=team, admitted_on__lte=month_end
            ).filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=month_end))
            people = Patient.objects.filter(pk__in=on_caseload.values("patient_id"))
            stats = people.aggregate(n=Count("pk"), decile=Sum("deprivation_decile"))
            n = stats["n"] or 0
            if n == 0:
                continue
            ages = [age_on(b, month_end) for b in people.values_list("date_of_birth", flat=True)]
            hours = StaffMember.objects.filter(team=team, role__in=CLINICAL_ROLES).aggregate(
                h=Sum("contracted_hours")
            )["h"]
            admissions = EmergencyAdmission.objects.filter(
                patient__in=people, admitted_on__gte=month, admitted_on__lte=month_end
            ).count()
            plans = DayPlan.objects.filter(
                team=team, status="published", date__gte=month, date__lte=month_end
            )
            travel = plans.aggregate(t=Sum("travel_minutes"))["t"]
            paid = None
            if travel is not None:
                shifts = Shift.objects.filter(staff__team=team, date__in=plans.values("date"))
                paid = float(
                    sum(
                        (
                            dt.datetime.combine(s.date, s.ends_at)
                            - dt.datetime.combine(s.date, s.starts_at)
                        ).seconds
                        / 60
                        - s.break_minutes
                        for s in shifts
                    )
                )
            records.append(
                TeamMonth(
                    provider_code=team.organisation.ods_code,
                    team_code=team.code,
                    neighbourhood_code=(
                        team.neighbourhoods.order_by("code").values_list("code", flat=True).first()
                        or ""
                    )
                    if team.neighbourhoods.count() == 1
                    else "",
                    place_code=place_code,
                    month=month,
                    caseload_people=n,
                    whole_time_equivalents=float(hours or 0) / 37.5,
                    emergency_admissions=admissions,
                    planned_travel_minutes=travel,
                    planned_paid_minutes=paid,
                    mean_age=sum(ages) / n,
                    mean_deprivation_decile=(stats["decile"] or 0) / n,
                )
            )
        month = next_month
    TeamMonth.objects.bulk_create(records)
    return len(records)
