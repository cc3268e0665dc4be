"""The privacy officer's pages: break-glass reviews and who looked at a record."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction, AuditEvent, BreakGlass
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission, Role
from wraparound.organisations.models import Organisation
from wraparound.ui.forms import DateOfBirthField, NHSForm, NHSNumberField

from . import actions
from .policy import UNKNOWN_PERSON, has_permission, identify_patient


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


@dataclass(frozen=True)
class Described:
    """An audit event as the privacy officer reads it: people and organisations by name."""

    event: AuditEvent
    who: str
    organisation: str
    role: str


def described(events: list[AuditEvent]) -> list[Described]:
    """Name each event's user and organisation (two queries, however many events)."""
    users = {
        u.pk: u.get_full_name() or u.get_username()
        for u in get_user_model().objects.filter(pk__in={e.user_id_at_event for e in events})
    }
    organisations = dict(
        Organisation.objects.filter(ods_code__in={e.organisation_code for e in events}).values_list(
            "ods_code", "name"
        )
    )
    roles = dict(Role.choices)
    return [
        Described(
            e,
            f"{users[e.user_id_at_event]} ({e.username})"
            if e.user_id_at_event in users
            else e.username,
            organisations.get(e.organisation_code, e.organisation_code),
            roles.get(e.role, e.role),
        )
        for e in events
    ]


class WhoLookedForm(NHSForm):
    nhs_number = NHSNumberField(label="NHS number", max_length=14)
    date_of_birth = DateOfBirthField()


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    """Who looked at this record: every event about one person, newest first."""
    _require(request, Permission.REVIEW_AUDIT)
    form = WhoLookedForm(request.GET or None)
    events = None
    patient = None
    if form.is_valid():
        data = form.cleaned_data
        patient = identify_patient(
            data["nhs_number"],
            data["date_of_birth"],
            purpose=Purpose.WHO_LOOKED,
            by=request.user,
        )
        if patient is None:
            form.add_error("nhs_number", UNKNOWN_PERSON)
        else:
            events = described(
                list(
                    AuditEvent.objects.filter(patient_id_at_event=patient.pk).order_by("-id")[:500]
                )
            )
            audit.record(
                user=request.user,
                action=AuditAction.SEARCH,
                purpose=Purpose.WHO_LOOKED,
                patient_id=patient.pk,
                basis="privacy officer review",
            )
    return render(
        request, "access/audit_search.html", {"form": form, "events": events, "patient": patient}
    )
