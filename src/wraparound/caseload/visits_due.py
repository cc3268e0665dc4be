"""``visits_due(team, date)``: the care plans' interventions expanded into the day's visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wraparound.organisations.models import ServiceKind, Team

from .models import Intervention, Patient, TeamClosure, Visit
from .programmes import HEALTHY_CHILD_PROGRAMME, contacts_due_on
from .recurrence import Schedule, occurs_on, window_on


@dataclass(frozen=True)
class DueVisit:
    intervention_id: int | None
    patient_id: int
    task: str
    window_start: dt.datetime
    window_end: dt.datetime
    duration_minutes: int
    skills: tuple[str, ...]
    double_handed: bool
    named_nurse_id: int | None
    programme_contact: str = ""


def schedule_of(intervention: Intervention) -> Schedule:
    return Schedule(
        recurrence=intervention.recurrence,
        starts_on=intervention.starts_on,
        ends_on=intervention.ends_on,
        weekdays=tuple(intervention.weekdays or ()),
        interval_days=intervention.interval_days,
    )


def visits_due(team: Team, day: dt.date) -> list[DueVisit]:
    """Visits due on ``day`` from the active plans of people on ``team``'s open caseload.

    None on a day the team has marked closed. Ordered by window start, then person.
    """
    if TeamClosure.objects.filter(team=team, date=day).exists():
        return []
    candidates = (
        Intervention.objects.filter(
            care_plan__team=team,
            care_plan__status="active",
            care_plan__patient__caseload_entries__team=team,
            care_plan__patient__caseload_entries__discharged_on__isnull=True,
            starts_on__lte=day,
        )
        .exclude(ends_on__lt=day)
        .select_related("care_plan")
        .prefetch_related("skills")
        .distinct()
    )
    due = []
    for intervention in candidates:
        if not occurs_on(schedule_of(intervention), day):
            continue
        start, end = window_on(day, intervention.window_start, intervention.window_end)
        due.append(
            DueVisit(
                intervention_id=intervention.pk,
                patient_id=intervention.care_plan.patient_id,
                task=intervention.description or intervention.get_kind_display(),
                window_start=start,
                window_end=end,
                duration_minutes=intervention.duration_minutes,
                skills=tuple(sorted(s.code for s in intervention.skills.all())),
                double_handed=intervention.double_handed,
                named_nurse_id=intervention.named_nurse_id,
            )
        )
    if team.service_kind == ServiceKind.HEALTH_VISITING:
        due += _programme_contacts_due(team, day)
    return sorted(due, key=lambda v: (v.window_start, v.patient_id, v.intervention_id or 0))


PROGRAMME_DAY = (dt.time(9, 0), dt.time(17, 0))
PROGRAMME_CONTACT_MINUTES = 45


def _programme_contacts_due(team: Team, day: dt.date) -> list[DueVisit]:
    """Healthy Child Programme contacts open on ``day`` for children on the team's caseload,
    until a visit for the contact exists."""
    children = Patient.objects.filter(
        caseload_entries__team=team,
        caseload_entries__discharged_on__isnull=True,
        date_of_birth__gte=day - dt.timedelta(days=31 * 31),
    ).distinct()
    done = set(
        Visit.objects.filter(patient__in=children)
        .exclude(programme_contact="")
        .values_list("patient_id", "programme_contact")
    )
    start, end = window_on(day, *PROGRAMME_DAY)
    due = []
    for child in children:
        for contact in contacts_due_on(HEALTHY_CHILD_PROGRAMME, child.date_of_birth, day):
            key = f"{contact.programme}: {contact.name}"
            if (child.pk, key) in done:
                continue
            due.append(
                DueVisit(
                    intervention_id=None,
                    patient_id=child.pk,
                    task=f"{contact.name} (due {contact.opens_on:%d %b} to {contact.closes_on:%d %b %Y})",
                    window_start=start,
                    window_end=end,
                    duration_minutes=PROGRAMME_CONTACT_MINUTES,
                    skills=(),
                    double_handed=False,
                    named_nurse_id=None,
                    programme_contact=key,
                )
            )
    return due
