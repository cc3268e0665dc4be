"""The privacy officer's pages: break-glass reviews and who looked at a record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wraparound.caseload.forms import NHSNumberField
from wraparound.caseload.models import Patient
from wraparound.web.forms import NHSForm

from . import actions, audit
from .models import AuditAction, AuditEvent, BreakGlass
from .policy import has_permission
from .roles import Permission


def _require(request: HttpRequest, permission: Permission) -> None:
    if not has_permission(request.user, permission):
        raise PermissionDenied("Your role cannot use this page")


@login_required
def break_glass_reviews(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.REVIEW_AUDIT)
    waiting = BreakGlass.objects.filter(reviewed_at__isnull=True).select_related("user", "patient")
    reviewed = BreakGlass.objects.filter(reviewed_at__isnull=False).select_related(
        "user", "patient", "reviewed_by"
    )[:50]
    return render(
        request, "access/break_glass_reviews.html", {"waiting": waiting, "reviewed": reviewed}
    )


@login_required
@require_http_methods(["POST"])
def review_break_glass(request: HttpRequest, use_id: int) -> HttpResponse:
    _require(request, Permission.REVIEW_AUDIT)
    try:
        actions.review_break_glass(
            use_id=use_id, outcome=request.POST.get("outcome", ""), by=request.user
        )
    except ValidationError as exc:
        messages.error(
            request, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        )
    else:
        messages.success(request, "Review recorded.")
    return redirect("access:break_glass_reviews")


class WhoLookedForm(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=14)


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    """Who looked at this record: every event about one person, newest first."""
    _require(request, Permission.REVIEW_AUDIT)
    form = WhoLookedForm(request.GET or None)
    events = None
    patient = None
    if form.is_valid():
        patient = Patient.objects.filter(nhs_number=form.cleaned_data["nhs_number"]).first()
        if patient is None:
            form.add_error("nhs_number", "No person with this NHS number is known to Wraparound")
        else:
            events = AuditEvent.objects.filter(patient_id_at_event=patient.pk).order_by(
                "-sequence"
            )[:500]
            audit.record(
                user=request.user,
                action=AuditAction.SEARCH,
                purpose="who looked at this record",
                patient_id=patient.pk,
                basis="privacy officer review",
            )
    return render(
        request, "access/audit_search.html", {"form": form, "events": events, "patient": patient}
    )
