from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import PatientFactory, on_caseload, staff
from wraparound.caseload.models import CarePlan, Intervention, Visit
from wraparound.caseload.recurrence import window_on
from wraparound.workforce.models import Shift, Skill


def make_team_day(place):
    """A nursing team with a leader and two nurses on shift, and six visits around its base."""
    day = timezone.localdate() + dt.timedelta(days=1)
    insulin = Skill.objects.create(code="insulin", name="Insulin")
    leader = staff("leader", place.trust, "team_leader", place.nursing)
    nurses = [place.users["nurse"], staff("nurse2", place.trust, "clinician", place.nursing)]
    for user in nurses:
        user.staff_member.skills.add(insulin)
        Shift.objects.create(
            staff=user.staff_member,
            date=day,
            starts_at=dt.time(8),
            ends_at=dt.time(16, 30),
            break_earliest=dt.time(12),
            break_latest=dt.time(14),
            break_minutes=30,
        )
    visits = []
    for i in range(6):
        person = PatientFactory(
            given_name=f"P{i}", latitude=52.5 + 0.01 * (i % 3), longitude=-2.0 + 0.01 * (i // 3)
        )
        on_caseload(person, place.nursing)
        plan = CarePlan.objects.create(
            patient=person,
            team=place.nursing,
            title="Care",
            starts_on=day,
            review_on=day + dt.timedelta(days=30),
        )
        intervention = Intervention.objects.create(
            care_plan=plan,
            kind="insulin" if i < 2 else "simple_wound",
            duration_minutes=30,
            recurrence="daily",
            starts_on=day,
            window_start=dt.time(8 + i),
            window_end=dt.time(10 + i),
            double_handed=(i == 5),
        )
        if i < 2:
            intervention.skills.add(insulin)
        start, end = window_on(day, intervention.window_start, intervention.window_end)
        visits.append(
            Visit.objects.create(
                patient=person,
                team=place.nursing,
                intervention=intervention,
                task=f"Visit {i}",
                date=day,
                window_start=start,
                window_end=end,
                duration_minutes=30,
                double_handed=(i == 5),
            )
        )
    return {"day": day, "leader": leader, "nurses": nurses, "visits": visits, "team": place.nursing}
