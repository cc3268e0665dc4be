"""The bridge from the database to the planning library: a team's day as a ``Problem``.

Times are wall-clock minutes from local midnight (Europe/London), as the planning
library expects; visits pinned by hand are held to their member of staff and minute by
a skill only that person has and a window of one minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from wraparound.caseload.models import Visit
from wraparound.caseload.recurrence import LONDON, local_moment
from wraparound.organisations.models import Team
from wraparound.planning import Break, Problem, ProblemBuilder, Weights
from wraparound.workforce.models import Shift

from .wording import Names

# Leaving these until tomorrow is not an option: they are time-critical care.
MUST_HAPPEN_TODAY = frozenset({"insulin", "iv_therapy", "palliative_review", "assessment"})
DEFER_PENALTY = 240.0  # minutes of travel we would spend to avoid deferring a deferrable visit
WEIGHTS = Weights(
    travel=1.0,
    lateness=10.0,
    max_lateness=0.0,
    continuity=20.0,
    overtime=5.0,
    staff_used=0.0,
    hard_windows=False,
    hard_shift_end=True,
)


@dataclass
class TeamDay:
    """A built problem and the ids that map its strings back to the database."""

    problem: Problem
    visits: dict[str, Visit] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)  # planning id -> StaffMember pk
    staff_names: dict[str, str] = field(default_factory=dict)
    skill_names: dict[str, str] = field(default_factory=dict)
    # Planning today: visits whose window closed before now, to record or rebook.
    passed: list[Visit] = field(default_factory=list)

    def names(self) -> Names:
        """Planning ids as people say them, for the explanations on the board."""
        return Names(
            staff=self.staff_names,
            visits={
                vid: f"{v.patient.given_name} {v.patient.family_name}: {v.task}"
                for vid, v in self.visits.items()
            },
            skills=self.skill_names,
        )


def minute_of_day(moment: dt.datetime) -> int:
    local = timezone.localtime(moment, LONDON)
    return local.hour * 60 + local.minute


def moment_at(day: dt.date, minute: float) -> dt.datetime:
    whole = max(0, min(round(minute), 24 * 60 - 1))
    return local_moment(day, dt.time(whole // 60, whole % 60))


def _staff_id(staff_pk: int) -> str:
    return f"s{staff_pk}"


def build_team_day(
    team: Team,
    day: dt.date,
    *,
    pins: dict[str, dict[str, int]] | None = None,
    include_done: bool = False,
    not_before: dt.datetime | None = None,
) -> TeamDay:
    """The visits of ``team`` on ``day`` and its staff on shift.

    Cancelled visits are left out; so are finished ones, unless ``include_done`` (a day under
    way, where what is done must stay where it was for ``insert_urgent`` to hold it fixed).
    With ``not_before`` (planning today), shifts and windows start no earlier than then,
    shifts already over are left out, and visits whose window has closed go to ``passed``.
    """
    pins = pins or {}
    now_minute = minute_of_day(not_before) if not_before is not None else 0
    builder = ProblemBuilder(name=f"{team.code} {day.isoformat()}")
    base = builder.add_place(team.base_latitude, team.base_longitude)
    result = TeamDay(problem=None)  # type: ignore[arg-type]
    shifts = (
        Shift.objects.filter(date=day, staff__team=team)
        .select_related("staff")
        .prefetch_related("staff__skills")
    )
    for shift in shifts.select_related("staff__user").order_by("staff_id"):
        sid = _staff_id(shift.staff_id)
        starts, ends = max(_m(shift.starts_at), now_minute), _m(shift.ends_at)
        if ends <= starts:
            continue  # the shift is over
        result.staff_names[sid] = str(shift.staff)
        result.skill_names |= {s.code: s.name.lower() for s in shift.staff.skills.all()}
        skills = {s.code for s in shift.staff.skills.all()}
        breaks = []
        if shift.break_minutes and shift.break_earliest and shift.break_latest:
            breaks.append(
                Break(_m(shift.break_earliest), _m(shift.break_latest), shift.break_minutes)
            )
        builder.add_staff(
            sid,
            (starts, ends),
            start_place=base,
            skills=sorted(skills),
            breaks=breaks,
        )
        result.staff[sid] = shift.staff_id
    visits = (
        Visit.objects.filter(team=team, date=day)
        .exclude(status__in=["cancelled"] if include_done else ["cancelled", "completed", "missed"])
        .select_related("patient", "intervention")
        .prefetch_related("intervention__skills")
        .order_by("window_start", "pk")
    )
    places: dict[tuple[float, float], int] = {}
    for visit in visits:
        vid = str(visit.pk)
        where = (visit.patient.latitude, visit.patient.longitude)
        if where not in places:
            places[where] = builder.add_place(*where)
        skills = (
            sorted(s.code for s in visit.intervention.skills.all()) if visit.intervention else []
        )
        window = (minute_of_day(visit.window_start), minute_of_day(visit.window_end))
        if not_before is not None and visit.status in {"planned", "assigned"}:
            if window[1] < now_minute and vid not in pins:
                result.passed.append(visit)
                continue
            window = (max(window[0], now_minute), window[1])
        named = (
            _staff_id(visit.intervention.named_nurse_id)
            if visit.intervention and visit.intervention.named_nurse_id
            else None
        )
        pin = pins.get(vid)
        if pin is not None:
            window = (pin["start"], pin["start"])
        kind = visit.intervention.kind if visit.intervention else ""
        mandatory = (
            kind in MUST_HAPPEN_TODAY
            or visit.double_handed
            or visit.intervention is None
            or pin is not None
        )
        builder.add_visit(
            vid,
            places[where],
            visit.duration_minutes,
            window,
            skills=skills,
            staff_required=2 if visit.double_handed else 1,
            penalty=None if mandatory else DEFER_PENALTY,
            preferred_staff=[named] if named and named in result.staff else [],
            pinned_to=_staff_id(pin["staff"]) if pin is not None else None,
        )
        result.visits[vid] = visit
    builder.set_weights(WEIGHTS)
    result.problem = builder.build()
    return result


def _m(t: dt.time) -> int:
    return t.hour * 60 + t.minute
