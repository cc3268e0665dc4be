"""The nurse's day on a phone: today's visits in order, a visit, its outcome in two taps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission, Section
from wraparound.door.policy import access_patient, has_permission, require_section, visible_patients

from . import actions
from .models import MissedReason, Patient, Visit


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def my_day(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.RECORD_VISITS):
        raise PermissionDenied("Your role has no visits")
    staff = request.user.staff_member  # type: ignore[union-attr]
    day = _day(request)
    visible = visible_patients(Patient.objects.all(), request.user)
    visits = list(
        Visit.objects.filter(date=day, patient__in=visible)
        .filter(Q(assigned_to=staff) | Q(second_staff=staff))
        .order_by("planned_start", "window_start", "pk")
    )
    patients = Patient.objects.in_bulk([v.patient_id for v in visits])
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.MY_DAY,
        detail={"date": day.isoformat(), "patients_shown": sorted(patients)},
    )
    rows = [(v, patients[v.patient_id]) for v in visits]
    return render(request, "caseload/my_day.html", {"rows": rows, "day": day})


@login_required
def visit(request: HttpRequest, visit_id: int) -> HttpResponse:
    require_section(request.user, Section.VISITS)
    the_visit = get_object_or_404(Visit, pk=visit_id)
    patient, _decision = access_patient(request.user, the_visit.patient_id, Purpose.OPEN_A_VISIT)
    plan = patient.care_plans.filter(status="active", team=the_visit.team).first()
    return render(
        request,
        "caseload/visit.html",
        {
            "visit": the_visit,
            "patient": patient,
            "plan": plan,
            "conditions": patient.conditions.all(),
            "handovers": patient.handover_notes.all()[:3],
            "missed_reasons": MissedReason.choices,
            "corrections": the_visit.corrections.select_related("by__user"),
            "can_correct": the_visit.recorded_by_id is not None
            and the_visit.recorded_by_id == getattr(request.user.staff_member, "pk", None),
            "age": patient.age_on(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["POST"])
def record_outcome(request: HttpRequest, visit_id: int) -> HttpResponse:
    try:
        actions.record_visit_outcome(
            visit_id=visit_id,
            outcome=request.POST.get("outcome", ""),
            by=request.user,
            notes=request.POST.get("notes", ""),
            missed_reason=request.POST.get("missed_reason", ""),
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field.replace('_', ' ').capitalize()}: {' '.join(errors)}")
        return redirect("caseload:visit", visit_id=visit_id)
    messages.success(request, "Visit recorded.")
    return redirect("caseload:my_day")


@login_required
@require_http_methods(["POST"])
def correct_outcome(request: HttpRequest, visit_id: int) -> HttpResponse:
    # One choice: "completed" or "missed:<reason>", so outcome and reason cannot disagree.
    outcome, _, missed_reason = request.POST.get("choice", "").partition(":")
    try:
        actions.correct_visit_outcome(
            visit_id=visit_id,
            outcome=outcome,
            missed_reason=missed_reason,
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field.replace('_', ' ').capitalize()}: {' '.join(errors)}")
    else:
        messages.success(request, "Outcome corrected; the record shows what it said before.")
    return redirect("caseload:visit", visit_id=visit_id)
