"""Planning a team's day, pinning by hand, publishing, and proposing an urgent insertion.

Every change is atomic and audited; publishing is the only step that changes visits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wraparound import planning
from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Visit
from wraparound.organisations.models import Team
from wraparound.planning import Plan, VisitStop
from wraparound.planning import Visit as PlanningVisit
from wraparound.planning.given import plan_from_routes

from .models import DayPlan, PlannedVisit
from .problem import build_team_day, minute_of_day, moment_at
from .wording import Names, in_words

DAY_TIME_LIMIT = 5.0
REPLAN_TIME_LIMIT = 2.0
URGENT_TIME_LIMIT = 0.5


def check_team_leader(by: Actor, team: Team) -> None:
    """Raise NoAccess unless ``by`` leads ``team``: only its leader plans and changes its day."""
    if not has_permission(by, Permission.PLAN_TEAM_DAY, team=team):
        raise NoAccess("Only the team's leader plans its day")


def _save_plan(
    *,
    team: Team,
    day: dt.date,
    plan: Plan,
    staff: dict[str, int],
    by: Actor,
    pins: dict[str, dict[str, int]],
    kind: str = DayPlan.Kind.DAY,
    urgent_visit: Visit | None = None,
    based_on: DayPlan | None = None,
    names: Names | None = None,
    task_key: str = "",
) -> DayPlan:
    names = names or Names({}, {}, {})
    DayPlan.objects.filter(team=team, date=day, status=DayPlan.Status.DRAFT, kind=kind).update(
        status=DayPlan.Status.SUPERSEDED
    )
    day_plan = DayPlan.objects.create(
        team=team,
        date=day,
        kind=kind,
        created_by=by,
        created_at=timezone.now(),
        engine=plan.engine[:120],
        objective=plan.cost.objective,
        travel_minutes=plan.cost.travel,
        lateness_minutes=plan.cost.lateness,
        continuity_misses=plan.cost.continuity_misses,
        explanations=[
            {
                "visit": e.visit,
                "what": names.visit(e.visit),
                "status": e.status,
                "reason": in_words(e.reason, names),
            }
            for e in planning.explain(plan)
        ],
        pins=pins,
        urgent_visit=urgent_visit,
        based_on=based_on,
        task_key=task_key,
    )
    placed: dict[str, PlannedVisit] = {}
    for route in plan.routes:
        order = 0
        for stop in route.stops:
            if not isinstance(stop, VisitStop):
                continue
            order += 1
            existing = placed.get(stop.visit)
            if existing is not None:  # the second member of staff on a double-handed visit
                existing.second_staff_id = staff[route.staff]
                continue
            placed[stop.visit] = PlannedVisit(
                day_plan=day_plan,
                visit_id=int(stop.visit),
                staff_id=staff[route.staff],
                start_minute=stop.start,
                order=order,
                late_minutes=stop.lateness,
                pinned=stop.visit in pins,
            )
    for visit_id in plan.unserved:
        placed[visit_id] = PlannedVisit(day_plan=day_plan, visit_id=int(visit_id))
    PlannedVisit.objects.bulk_create(placed.values())
    return day_plan


def plan_team_day(
    *,
    team: Team,
    day: dt.date,
    by: Actor,
    time_limit: float = DAY_TIME_LIMIT,
    seed: int = 0,
    pins: dict[str, dict[str, int]] | None = None,
    task_key: str = "",
) -> DayPlan:
    """Plan the team's visits for ``day`` across its staff on shift: a draft to shape and publish.

    With ``task_key`` (a background task's), planning again under the same key returns the
    plan already made and changes nothing, so a task re-run after its worker died is safe.
    The search runs outside any transaction (it takes seconds, and would hold every other
    writer back on SQLite); what it found is stored, and audited, in one.
    """
    check_team_leader(by, team)
    if task_key:
        made = DayPlan.objects.filter(task_key=task_key).first()
        if made is not None:
            return made
    pins = pins or {}
    now = timezone.now()
    # Planning today starts from now: nobody can be sent back in time (a plan made at 19:17
    # once sent nurses out until 23:36, hours late), and visits whose window has passed are
    # listed to record or rebook, not planned.
    team_day = build_team_day(
        team, day, pins=pins, not_before=now if day == timezone.localdate(now) else None
    )
    if not team_day.problem.staff:
        when = (
            "is on shift for the rest of today"
            if day == timezone.localdate(now)
            else f"has a shift on {day:%A %d %B}"
        )
        raise ValidationError({"date": f"Nobody in {team.name} {when}"})
    plan = planning.plan_day(team_day.problem, time_limit=time_limit, seed=seed)
    try:
        with transaction.atomic():
            return _store_team_day(team, day, plan, team_day, by=by, pins=pins, task_key=task_key)
    except IntegrityError:
        # The same task ran twice at once, and the other run stored its plan first.
        made = DayPlan.objects.filter(task_key=task_key).first() if task_key else None
        if made is None:
            raise
        return made


def _store_team_day(
    team: Team,
    day: dt.date,
    plan: Plan,
    team_day: Any,
    *,
    by: Actor,
    pins: dict[str, dict[str, int]],
    task_key: str,
) -> DayPlan:
    day_plan = _save_plan(
        team=team,
        day=day,
        plan=plan,
        staff=team_day.staff,
        by=by,
        pins=pins,
        names=team_day.names(),
        task_key=task_key,
    )
    if team_day.passed:
        day_plan.explanations = [
            *day_plan.explanations,
            *(
                {
                    "visit": str(v.pk),
                    "what": f"{v.patient.given_name} {v.patient.family_name}: {v.task}",
                    "status": "window passed",
                    "reason": f"its window closed at {timezone.localtime(v.window_end):%H:%M}, "
                    "before this plan was made: record it as done or missed, or rebook it",
                }
                for v in team_day.passed
            ),
        ]
        day_plan.save(update_fields=["explanations"])
    audit.record(
        user=by,
        action=AuditAction.SEARCH,
        purpose=Purpose.PLAN_THE_TEAMS_DAY,
        detail={
            "team": team.code,
            "date": day.isoformat(),
            "day_plan": day_plan.pk,
            "patients": sorted({v.patient_id for v in team_day.visits.values()}),
        },
    )
    return day_plan


@transaction.atomic
def pin_visit(
    *,
    day_plan: DayPlan,
    visit_id: int,
    staff_id: int,
    start: dt.time,
    by: Actor,
    time_limit: float = REPLAN_TIME_LIMIT,
) -> DayPlan:
    """Hold a visit to a member of staff and a time, then re-plan everything else around it."""
    check_team_leader(by, day_plan.team)
    if not day_plan.planned_visits.filter(visit_id=visit_id).exists():
        raise ValidationError({"visit": "That visit is not in this plan"})
    if not day_plan.team.staff.filter(pk=staff_id, shifts__date=day_plan.date).exists():
        raise ValidationError(
            {"staff": "That member of staff is not on shift in this team that day"}
        )
    pins = dict(day_plan.pins) | {
        str(visit_id): {"staff": staff_id, "start": start.hour * 60 + start.minute}
    }
    return plan_team_day(
        team=day_plan.team, day=day_plan.date, by=by, time_limit=time_limit, pins=pins
    )


@transaction.atomic
def publish_day_plan(*, day_plan: DayPlan, by: Actor) -> DayPlan:
    """Give each visit its member(s) of staff and start time; the nurses' day lists show them."""
    check_team_leader(by, day_plan.team)
    day_plan = DayPlan.objects.select_for_update().get(pk=day_plan.pk)
    if day_plan.status == DayPlan.Status.PUBLISHED:
        return day_plan  # publishing twice changes nothing
    if day_plan.status == DayPlan.Status.SUPERSEDED:
        raise ValidationError(
            {"day_plan": "A newer plan has replaced this one: publish that instead"}
        )
    DayPlan.objects.filter(
        team=day_plan.team, date=day_plan.date, status=DayPlan.Status.PUBLISHED
    ).update(status=DayPlan.Status.SUPERSEDED, published_at=None)
    moved = []
    for planned in day_plan.planned_visits.select_related("visit"):
        visit = planned.visit
        if visit.status in {"completed", "missed", "cancelled", "en_route", "arrived"}:
            continue  # what has started or finished keeps its record
        if planned.served:
            visit.assigned_to_id = planned.staff_id
            visit.second_staff_id = planned.second_staff_id
            visit.planned_start = moment_at(day_plan.date, planned.start_minute or 0)
            visit.status = "assigned"
        else:
            visit.assigned_to_id = visit.second_staff_id = visit.planned_start = None
            visit.status = "planned"
        visit.save(update_fields=["assigned_to", "second_staff", "planned_start", "status"])
        moved.append(visit.patient_id)
    day_plan.status = DayPlan.Status.PUBLISHED
    day_plan.published_at = timezone.now()
    day_plan.save(update_fields=["status", "published_at"])
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.PUBLISH_THE_TEAMS_DAY,
        detail={"day_plan": day_plan.pk, "patients": sorted(set(moved))},
    )
    return day_plan


def _planning_visit(visit: Visit, place: int) -> PlanningVisit:
    return PlanningVisit(
        id=str(visit.pk),
        place=place,
        duration=visit.duration_minutes,
        earliest=minute_of_day(visit.window_start),
        latest=minute_of_day(visit.window_end),
        skills=frozenset(s.code for s in visit.intervention.skills.all())
        if visit.intervention
        else frozenset(),
        staff_required=2 if visit.double_handed else 1,
    )


@transaction.atomic
def propose_urgent_insertion(*, visit: Visit, by: Actor, now: dt.datetime | None = None) -> DayPlan:
    """Fit an urgent visit into the team's published day, moving as little as it can.

    What has started by ``now`` is held where it happened (same member of staff, same
    minute); the proposal lists what moves, for the team leader to accept by publishing it.
    """
    check_team_leader(by, visit.team)
    team, day = visit.team, visit.date
    moment = now or timezone.now()
    published = DayPlan.objects.filter(team=team, date=day, status=DayPlan.Status.PUBLISHED).first()
    pins = _held_by(published, moment)
    current = build_team_day(team, day, pins=pins, include_done=True)
    urgent_id = str(visit.pk)
    place = next((v.place for v in current.problem.visits if v.id == urgent_id), None)
    if place is None:
        raise ValidationError({"visit": "The urgent visit is not on this team's day"})
    # Plan the day as it was, without the urgent visit, then insert it.
    problem = replace(
        current.problem, visits=tuple(v for v in current.problem.visits if v.id != urgent_id)
    )
    base_plan = (
        _plan_from(published, problem, current.staff)
        if published
        else planning.plan_day(problem, time_limit=1.0)
    )
    plan = planning.insert_urgent(
        base_plan,
        _planning_visit(visit, place),
        minute_of_day(moment),
        time_limit=URGENT_TIME_LIMIT,
    )
    return _save_plan(
        team=team,
        day=day,
        plan=plan,
        staff=current.staff,
        by=by,
        pins=pins,
        kind=DayPlan.Kind.URGENT,
        urgent_visit=visit,
        based_on=published,
    )


def _held_by(published: DayPlan | None, moment: dt.datetime) -> dict[str, dict[str, int]]:
    """The published plan's pins, and every visit started by ``moment`` held where it began."""
    pins: dict[str, dict[str, int]] = dict(published.pins) if published else {}
    if published is not None:
        started = published.planned_visits.filter(
            staff__isnull=False, start_minute__lte=minute_of_day(moment)
        )
        for planned in started:
            pins[str(planned.visit_id)] = {
                "staff": planned.staff_id or 0,
                "start": round(planned.start_minute or 0),
            }
    return pins


def _plan_from(published: DayPlan, problem: Any, staff: dict[str, int]) -> Plan:
    """The published plan, re-timed on today's problem, as the starting point for an insertion."""
    by_staff: dict[str, list[str]] = {sid: [] for sid in staff}
    pk_to_sid = {pk: sid for sid, pk in staff.items()}
    known = {v.id for v in problem.visits}
    # Each member of staff's visits in the order of their published starts (a double-handed
    # visit sits in both routes).
    for planned in published.planned_visits.filter(staff__isnull=False).order_by(
        "start_minute", "visit_id"
    ):
        for who in (planned.staff_id, planned.second_staff_id):
            sid = pk_to_sid.get(who) if who else None
            if sid and str(planned.visit_id) in known:
                by_staff[sid].append(str(planned.visit_id))
    return plan_from_routes(problem, by_staff, engine=f"published plan {published.pk}")
