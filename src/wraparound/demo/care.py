"""Demo care plans for the caseload, and 90 days of visit history consistent with them.

The history is the plans' own expansion (``caseload.recurrence``), done and recorded the
way a team would: most visits completed, some missed with a reason, a few cancelled, by
staff with the skills, the named nurse where there is one. Today's visits are assigned, so
that the nurse's day has work in it; tomorrow's are planned and waiting for the planner.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from wraparound.caseload.models import CarePlan, Goal, Intervention, MissedReason, Visit
from wraparound.caseload.recurrence import Schedule, occurs_on, window_on
from wraparound.workforce.models import StaffMember

if TYPE_CHECKING:
    from .place import _Context

HISTORY_DAYS = 90


@dataclass(frozen=True)
class InterventionSpec:
    kind: str
    description: str
    skill: str
    minutes: int
    recurrence: str
    window: tuple[dt.time, dt.time]
    weekdays: tuple[int, ...] = ()
    interval: int | None = None


T = dt.time
NURSING_MENU: tuple[tuple[str, float, InterventionSpec], ...] = (
    # (condition code or "*", chance, what the plan asks for)
    (
        "44054006",
        0.2,
        InterventionSpec(
            "insulin", "Insulin before breakfast", "insulin", 20, "daily", (T(7, 30), T(9, 30))
        ),
    ),
    (
        "44054006",
        0.08,
        InterventionSpec(
            "insulin", "Evening insulin", "insulin", 20, "daily", (T(17, 0), T(19, 0))
        ),
    ),
    (
        "*",
        0.15,
        InterventionSpec(
            "simple_wound",
            "Leg ulcer dressing",
            "simple-wound",
            30,
            "weekdays",
            (T(9, 0), T(13, 0)),
            weekdays=(1, 4),
        ),
    ),
    (
        "*",
        0.07,
        InterventionSpec(
            "complex_wound",
            "Pressure ulcer, negative pressure dressing",
            "complex-wound",
            45,
            "every_n_days",
            (T(9, 0), T(15, 0)),
            interval=2,
        ),
    ),
    (
        "*",
        0.08,
        InterventionSpec(
            "catheter",
            "Catheter care and bag change",
            "catheter",
            30,
            "every_n_days",
            (T(10, 0), T(16, 0)),
            interval=7,
        ),
    ),
    (
        "*",
        0.10,
        InterventionSpec(
            "bloods",
            "Bloods (U&E, FBC)",
            "bloods",
            15,
            "every_n_days",
            (T(8, 0), T(11, 0)),
            interval=28,
        ),
    ),
    (
        "52448006",
        0.3,
        InterventionSpec(
            "welfare_check",
            "Welfare and medicines check",
            "bloods",
            20,
            "weekdays",
            (T(11, 0), T(14, 0)),
            weekdays=(2, 5),
        ),
    ),
    (
        "84114007",
        0.4,
        InterventionSpec(
            "assessment",
            "Heart failure review: weight, oedema",
            "prescribing",
            40,
            "every_n_days",
            (T(9, 0), T(16, 0)),
            interval=14,
        ),
    ),
)
THERAPY_MENU = (
    (
        "*",
        0.6,
        InterventionSpec(
            "therapy_session",
            "Mobility and strength programme",
            "therapy",
            45,
            "weekdays",
            (T(10, 0), T(15, 0)),
            weekdays=(2, 4),
        ),
    ),
    (
        "*",
        0.5,
        InterventionSpec(
            "reablement",
            "Reablement: washing and dressing",
            "reablement",
            45,
            "daily",
            (T(8, 0), T(10, 0)),
        ),
    ),
)
UCR_MENU = (
    (
        "*",
        1.0,
        InterventionSpec(
            "assessment",
            "Urgent response: falls and frailty assessment",
            "falls",
            60,
            "once",
            (T(8, 0), T(20, 0)),
        ),
    ),
)
MENUS = {
    "central-nursing": NURSING_MENU,
    "north-hills-nursing": NURSING_MENU,
    "therapy-reablement": THERAPY_MENU,
    "ucr": UCR_MENU,
}
GOALS = (
    "Stay well at home",
    "Wound healed by the review date",
    "Manage my own insulin with support",
    "Walk to the shops again",
    "Fewer falls",
    "Be comfortable and at home at the end of life",
)
MISSED_REASONS = (
    MissedReason.NO_ANSWER,
    MissedReason.IN_HOSPITAL,
    MissedReason.DECLINED,
    MissedReason.CANCELLED_BY_FAMILY,
)
ALERTS = (
    "Key safe 4321",
    "Dog: ask for it to be shut away",
    "DNACPR in place",
    "Lives alone, hard of hearing",
    "",
)


def build_care_plans_and_visits(ctx: _Context) -> None:
    rng, today = ctx.rng, ctx.today
    staff_by_team = _staff_by_team(ctx)
    conditions = {
        p.pk: {code for _s, code, _d in person.conditions}
        for p, person in zip(ctx.patients, ctx.people, strict=True)
    }
    plans, plan_specs = [], []
    for entry in ctx.caseload_entries:
        team_code = next(code for code, team in ctx.teams.items() if team.pk == entry.team_id)
        menu = MENUS.get(team_code)
        if menu is None:
            continue
        has = conditions[entry.patient_id]
        chosen = [
            spec
            for code, chance, spec in menu
            if (code == "*" or code in has) and rng.random() < chance
        ]
        if not chosen:
            chosen = [menu[-1][2] if team_code != "ucr" else menu[0][2]]
        plans.append(
            CarePlan(
                patient_id=entry.patient_id,
                team_id=entry.team_id,
                title=_title(team_code),
                starts_on=entry.admitted_on,
                review_on=max(entry.admitted_on, today) + dt.timedelta(days=rng.randint(14, 90)),
                key_alerts=rng.choice(ALERTS),
            )
        )
        plan_specs.append((entry, team_code, chosen))
    plans = CarePlan.objects.bulk_create(plans, batch_size=2000)
    Goal.objects.bulk_create(
        [Goal(care_plan=plan, description=rng.choice(GOALS)) for plan in plans], batch_size=2000
    )

    interventions, skill_of = [], []
    for plan, (entry, team_code, chosen) in zip(plans, plan_specs, strict=True):
        team_staff = staff_by_team[team_code]
        for spec in chosen:
            able = [s for s in team_staff if spec.skill in s.skill_codes] or team_staff
            starts = entry.admitted_on
            ends = starts + dt.timedelta(days=42) if spec.kind == "reablement" else None
            interventions.append(
                Intervention(
                    care_plan=plan,
                    kind=spec.kind,
                    description=spec.description,
                    duration_minutes=spec.minutes,
                    recurrence=spec.recurrence,
                    weekdays=list(spec.weekdays),
                    interval_days=spec.interval,
                    starts_on=starts,
                    ends_on=ends,
                    window_start=spec.window[0],
                    window_end=spec.window[1],
                    double_handed=rng.random() < 0.05,
                    named_nurse_id=rng.choice(able).pk if rng.random() < 0.5 else None,
                )
            )
            skill_of.append(spec.skill)
    interventions = Intervention.objects.bulk_create(interventions, batch_size=2000)
    through = Intervention.skills.through
    through.objects.bulk_create(
        [
            through(intervention_id=i.pk, skill_id=ctx.skills[code].pk)
            for i, code in zip(interventions, skill_of, strict=True)
        ],
        batch_size=5000,
    )
    _visit_history(ctx, interventions, plans, staff_by_team)


@dataclass
class _Staff:
    pk: int
    skill_codes: frozenset[str]
    username: str


def _staff_by_team(ctx: _Context) -> dict[str, list[_Staff]]:
    found: dict[str, list[_Staff]] = {}
    for member in (
        StaffMember.objects.filter(team__isnull=False, role__in=["clinician", "team_leader"])
        .select_related("team", "user")
        .prefetch_related("skills")
        .order_by("pk")
    ):
        found.setdefault(member.team.code, []).append(
            _Staff(member.pk, frozenset(s.code for s in member.skills.all()), member.user.username)
        )
    return found


def _title(team_code: str) -> str:
    return {
        "ucr": "Urgent response plan",
        "therapy-reablement": "Rehabilitation and reablement plan",
    }.get(team_code, "Community nursing care plan")


def _visit_history(
    ctx: _Context,
    interventions: list[Intervention],
    plans: list[CarePlan],
    staff_by_team: dict[str, list[_Staff]],
) -> None:
    rng: random.Random = ctx.rng
    today = ctx.today
    plan_by_pk = {p.pk: p for p in plans}
    team_code_by_pk = {team.pk: code for code, team in ctx.teams.items()}
    now = timezone.now()
    visits = []
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    for intervention in interventions:
        plan = plan_by_pk[intervention.care_plan_id]
        team_code = team_code_by_pk[plan.team_id]
        team_staff = staff_by_team[team_code]
        schedule = Schedule(
            intervention.recurrence,
            intervention.starts_on,
            intervention.ends_on,
            tuple(intervention.weekdays),
            intervention.interval_days,
        )
        day = max(first_day, intervention.starts_on)
        while day <= today + dt.timedelta(days=1):
            if occurs_on(schedule, day):
                visits.append(_visit(rng, intervention, plan, team_staff, day, today, now))
            day += dt.timedelta(days=1)
    Visit.objects.bulk_create(visits, batch_size=5000)


def _visit(
    rng: random.Random,
    intervention: Intervention,
    plan: CarePlan,
    team_staff: list[_Staff],
    day: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> Visit:
    start, end = window_on(day, intervention.window_start, intervention.window_end)
    visitor = (
        intervention.named_nurse_id
        if intervention.named_nurse_id and rng.random() < 0.7
        else rng.choice(team_staff).pk
    )
    span = max(0, int((end - start).total_seconds() // 60) - intervention.duration_minutes)
    planned = start + dt.timedelta(minutes=rng.randint(0, span) if span else 0)
    visit = Visit(
        patient_id=plan.patient_id,
        team_id=plan.team_id,
        intervention=intervention,
        task=intervention.description or intervention.get_kind_display(),
        date=day,
        window_start=start,
        window_end=end,
        duration_minutes=intervention.duration_minutes,
        double_handed=intervention.double_handed,
    )
    if day > today:
        return visit  # tomorrow: planned, waiting for the planner
    visit.assigned_to_id = visitor
    visit.planned_start = planned
    if day == today:
        visit.status = "assigned"
        return visit
    roll = rng.random()
    visit.finished_at = min(now, planned + dt.timedelta(minutes=intervention.duration_minutes))
    visit.recorded_by_id = visitor
    if roll < 0.93:
        visit.status = "completed"
        visit.outcome_notes = "Care given as planned."
    elif roll < 0.98:
        visit.status = "missed"
        visit.missed_reason = rng.choice(MISSED_REASONS)
    else:
        visit.status = "cancelled"
        visit.finished_at = None
    return visit
