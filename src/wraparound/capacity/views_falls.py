"""The falls response's pages: the centre's calls, taking one, the call itself (clocks and
the clinician's sign-off), and the responder's own page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Patient
from wraparound.door.policy import access_patient, sections_for, visible_patients
from wraparound.ui.forms import add_errors

from . import actions
from .falls import CHECKLIST
from .forms import ClockForm, FallCallForm, SignOffForm
from .models import FallCall, Responder

FALLS_PERMISSIONS = (
    Permission.TAKE_FALLS_CALLS,
    Permission.SIGN_OFF_FALLS,
    Permission.RESPOND_TO_FALLS,
)


def _may_see_calls(request: HttpRequest) -> None:
    if not any(has_permission(request.user, p) for p in FALLS_PERMISSIONS):
        raise PermissionDenied("Your role has no part in the falls response")


@login_required
def falls(request: HttpRequest) -> HttpResponse:
    """Open calls the viewer has a part in, newest first, long lies flagged."""
    _may_see_calls(request)
    seen = visible_patients(Patient.objects.all(), request.user).values("pk")
    calls = list(
        FallCall.objects.filter(closed_at__isnull=True, patient__in=seen)
        .select_related("patient", "responder__staff__user", "crew__user")
        .order_by("-call_at")[:50]
    )
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.FALL_CALL_OPENED,
        detail={"patients_shown": [c.patient_id for c in calls]},
    )
    now = timezone.now()
    return render(
        request,
        "capacity/falls.html",
        {
            "rows": [(c, c.lie_minutes(now), c.long_lie(now)) for c in calls],
            "can_take": has_permission(request.user, Permission.TAKE_FALLS_CALLS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_call(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.TAKE_FALLS_CALLS):
        raise PermissionDenied("Your role does not take falls calls")
    initial = {"idempotency_key": uuid.uuid4().hex}
    form = FallCallForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call, created = actions.take_fall_call(
                nhs_number=data["nhs_number"],
                date_of_birth=data["date_of_birth"],
                answers=form.answers(),
                idempotency_key=data["idempotency_key"],
                fell_at=data["fell_at"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, call.dispatch_note if created else "Call already recorded")
            return redirect("capacity:call", call_id=call.pk)
    return render(request, "capacity/new_call.html", {"form": form})


def _call_page(request: HttpRequest, call_id: int, **forms: Any) -> HttpResponse:
    call = (
        FallCall.objects.select_related("responder__staff__user", "crew__user", "signed_off_by")
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise Http404("No such call")
    _may_see_calls(request)
    patient, _ = access_patient(request.user, call.patient_id, Purpose.FALL_CALL_OPENED)
    now = timezone.now()
    open_call = call.closed_at is None
    signs_off = open_call and has_permission(request.user, Permission.SIGN_OFF_FALLS)
    context = {
        "call": call,
        "patient": patient,
        "sees": {s.value for s in sections_for(request.user)},
        "lie_minutes": call.lie_minutes(now),
        "long_lie": call.long_lie(now),
        "checklist": [(CHECKLIST[k], v) for k, v in call.checklist.items()],
        "clock_form": forms.get("clock_form", ClockForm()) if open_call else None,
        "sign_off_form": forms.get("sign_off_form", SignOffForm()) if signs_off else None,
    }
    return render(request, "capacity/call.html", context, status=400 if forms else 200)


@login_required
def call(request: HttpRequest, call_id: int) -> HttpResponse:
    return _call_page(request, call_id)


@login_required
@require_http_methods(["POST"])
def record_clock(request: HttpRequest, call_id: int) -> HttpResponse:
    form = ClockForm(request.POST)
    if form.is_valid():
        try:
            actions.record_fall_clock(
                call_id=call_id,
                clock=form.cleaned_data["clock"],
                at=form.cleaned_data["at"] or timezone.now(),
                by=request.user,
            )
        except ValidationError as exc:
            # The action names the clock's own field; the form has one time field for both.
            named = {("at" if f.endswith("_at") else f): m for f, m in exc.message_dict.items()}
            add_errors(form, ValidationError(named))
        else:
            return redirect("capacity:call", call_id=call_id)
    return _call_page(request, call_id, clock_form=form)


@login_required
@require_http_methods(["POST"])
def sign_off(request: HttpRequest, call_id: int) -> HttpResponse:
    form = SignOffForm(request.POST)
    if form.is_valid():
        ticked = set(form.cleaned_data["checklist"])
        try:
            actions.sign_off_fall(
                call_id=call_id,
                checklist={item: item in ticked for item in CHECKLIST},
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                refer_to_falls_prevention=form.cleaned_data["refer_to_falls_prevention"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Signed off; the call is closed")
            return redirect("capacity:call", call_id=call_id)
    return _call_page(request, call_id, sign_off_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def responder(request: HttpRequest) -> HttpResponse:
    """A responder's page: the call they are sent to, and whether they can be sent."""
    staff = staff_of(request.user)
    me = Responder.objects.filter(staff=staff).first() if staff else None
    if me is None or not has_permission(request.user, Permission.RESPOND_TO_FALLS):
        raise PermissionDenied("This page is a volunteer responder's")
    if request.method == "POST":
        actions.set_responder_availability(
            responder_id=me.pk, available=request.POST.get("available") == "yes", by=request.user
        )
        return redirect("capacity:responder")
    current = FallCall.objects.filter(responder=me, closed_at__isnull=True).first()
    return render(request, "capacity/responder.html", {"me": me, "current": current})
