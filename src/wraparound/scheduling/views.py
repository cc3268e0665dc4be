"""The team leader's planning board: plan tomorrow, see the map and timeline, pin, publish."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.organisations.models import Team
from wraparound.ui.forms import NHSForm
from wraparound.workforce.models import Shift, StaffMember

from . import actions, drawing
from .models import DayPlan
from .moves import moves_between


def _team(request: HttpRequest) -> Team:
    staff = getattr(request.user, "staff_member", None)
    team = staff.team if staff else None
    if team is None or not has_permission(request.user, Permission.PLAN_TEAM_DAY, team=team):
        raise PermissionDenied("Only a team leader plans a team's day")
    return team


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate() + dt.timedelta(days=1)


class PinForm(NHSForm):
    visit = forms.IntegerField(widget=forms.HiddenInput)
    staff = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label="Member of staff")
    start = forms.TimeField(label="Start at", widget=forms.TimeInput(attrs={"type": "time"}))


def _pictures(plan: DayPlan) -> tuple[str, str, list[dict[str, object]]]:
    planned = list(
        plan.planned_visits.select_related("visit__patient", "staff__user", "second_staff__user")
    )
    shifts = {s.staff_id: s for s in Shift.objects.filter(date=plan.date, staff__team=plan.team)}
    routes: dict[int, list[drawing.Stop]] = {}
    names: dict[int, str] = {}
    unserved: list[drawing.Stop] = []
    rows = []
    for p in planned:
        patient = p.visit.patient
        stop = drawing.Stop(
            label=f"{p.visit.task} ({patient.given_name[0]}. {patient.family_name})",
            lat=patient.latitude,
            lon=patient.longitude,
            start_minute=p.start_minute or 0,
            duration=p.visit.duration_minutes,
            late=p.late_minutes > 0.5,
            pinned=p.pinned,
        )
        if p.staff_id is None:
            unserved.append(stop)
        else:
            for who in (p.staff, p.second_staff):
                if who is not None:
                    routes.setdefault(who.pk, []).append(stop)
                    names[who.pk] = str(who)
        rows.append({"planned": p, "patient": patient})
    staff_routes = [
        drawing.StaffRoute(
            names[pk],
            tuple(sorted(stops, key=lambda s: s.start_minute)),
            (
                shifts[pk].starts_at.hour * 60 + shifts[pk].starts_at.minute,
                shifts[pk].ends_at.hour * 60 + shifts[pk].ends_at.minute,
            )
            if pk in shifts
            else (8 * 60, 17 * 60),
        )
        for pk, stops in sorted(routes.items(), key=lambda kv: names[kv[0]])
    ]
    base = (plan.team.base_latitude, plan.team.base_longitude)
    return drawing.route_map(base, staff_routes, unserved), drawing.timeline(staff_routes), rows


@login_required
def board(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    day = _day(request.GET.get("date"))
    published = DayPlan.objects.filter(team=team, date=day, status=DayPlan.Status.PUBLISHED).first()
    # The plan in hand: the newest draft day plan if the leader is re-planning, else the one
    # the nurses are working to, whichever kind it is (an accepted urgent insertion is the
    # published plan once it is published). ``?show=published`` looks at that one directly.
    draft = (
        DayPlan.objects.filter(
            team=team, date=day, kind=DayPlan.Kind.DAY, status=DayPlan.Status.DRAFT
        )
        .order_by("-created_at")
        .first()
    )
    newer_draft = draft is not None and (
        published is None or draft.created_at > published.created_at
    )
    showing_published = request.GET.get("show") == "published" or not newer_draft
    plan = published if showing_published and published is not None else draft
    context: dict[str, object] = {
        "team": team,
        "day": day,
        "plan": plan,
        "published": published,
        "newer_draft": draft if newer_draft else None,
    }
    if plan is not None:
        route_map, timeline, rows = _pictures(plan)
        audit.record(
            user=request.user,
            action=AuditAction.SEARCH,
            purpose=Purpose.PLANNING_BOARD,
            detail={"day_plan": plan.pk, "patients_shown": sorted({r["patient"].pk for r in rows})},
        )  # type: ignore[union-attr]
        pin_form = PinForm()
        pin_form.fields["staff"].queryset = StaffMember.objects.filter(
            team=team, shifts__date=day
        ).select_related("user")  # type: ignore[attr-defined]
        served = sum(1 for r in rows if r["planned"].staff_id is not None)
        context |= {
            "served": served,
            "left": len(rows) - served,
            "late_visits": sum(1 for r in rows if r["planned"].late_minutes > 0.5),
            "passed": sum(1 for e in plan.explanations if e.get("status") == "window passed"),
            "route_map": mark_safe(route_map),
            "timeline": mark_safe(timeline),
            "rows": rows,
            "pin_form": pin_form,
        }
    return render(request, "scheduling/board.html", context)


@login_required
@require_http_methods(["POST"])
def make_plan(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    day = _day(request.POST.get("date"))
    try:
        actions.plan_team_day(team=team, day=day, by=request.user)
        messages.success(request, f"Planned {team.name} for {day:%A %d %B}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('scheduling:board')}?date={day.isoformat()}")


@login_required
@require_http_methods(["POST"])
def pin(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(DayPlan, pk=plan_id, team=_team(request))
    form = PinForm(request.POST)
    form.fields["staff"].queryset = StaffMember.objects.filter(
        team=plan.team, shifts__date=plan.date
    )  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            replanned = actions.pin_visit(
                day_plan=plan,
                visit_id=form.cleaned_data["visit"],
                staff_id=form.cleaned_data["staff"].pk,
                start=form.cleaned_data["start"],
                by=request.user,
            )
            moved = replanned.planned_visits.get(visit_id=form.cleaned_data["visit"])
            if moved.staff_id is None:
                # Say so: a pinned visit that still does not fit is not "moved".
                why = next(
                    (
                        e["reason"]
                        for e in replanned.explanations
                        if e["visit"] == str(form.cleaned_data["visit"])
                    ),
                    "it does not fit there",
                )
                messages.error(
                    request,
                    f"The visit could not be placed with {form.cleaned_data['staff']} at "
                    f"{form.cleaned_data['start']:%H:%M}: {why}. It is still left until "
                    "tomorrow; try another member of staff or time.",
                )
            else:
                messages.success(
                    request,
                    "Visit moved and pinned; the rest of the day was re-planned around it.",
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect(f"{reverse('scheduling:board')}?date={plan.date.isoformat()}")


@login_required
@require_http_methods(["POST"])
def publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(DayPlan, pk=plan_id, team=_team(request))
    try:
        actions.publish_day_plan(day_plan=plan, by=request.user)
        messages.success(request, "Published: the nurses' day lists now show this plan.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('scheduling:board')}?date={plan.date.isoformat()}")


@login_required
def urgent_proposal(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(DayPlan, pk=plan_id, kind=DayPlan.Kind.URGENT, team=_team(request))
    moves = moves_between(plan.based_on, plan)
    route_map, timeline, _rows = _pictures(plan)
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.URGENT_INSERTION_PROPOSAL,
        patient_id=plan.urgent_visit.patient_id if plan.urgent_visit else None,
        detail={"day_plan": plan.pk},
    )
    return render(
        request,
        "scheduling/urgent.html",
        {
            "plan": plan,
            "moves": moves,
            "route_map": mark_safe(route_map),
            "timeline": mark_safe(timeline),
        },
    )
