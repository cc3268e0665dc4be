"""Thin pages: the coordinator's directory search and the provider's capacity page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Patient
from wraparound.door.policy import access_patient, has_permission, staff_of, visible_patients

from . import actions
from .forms import CapacityForm, DirectorySearchForm
from .models import Service
from .search import eligible_services


def _require(request: HttpRequest, permission: Permission) -> None:
    if not has_permission(request.user, permission):
        raise PermissionDenied("Your role cannot use this page")


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.TRIAGE_REFERRALS)
    form = DirectorySearchForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["nhs_number"]
        patient = (
            visible_patients(Patient.objects.all(), request.user).filter(nhs_number=number).first()
        )
        if patient is None:
            audit.record(
                user=request.user,
                action=AuditAction.SEARCH,
                purpose=Purpose.DIRECTORY_SEARCH,
                detail={"found": False},
            )
            form.add_error("nhs_number", "No one you can see has this NHS number")
        else:
            patient, _decision = access_patient(request.user, patient.pk, Purpose.DIRECTORY_SEARCH)
            result = eligible_services(
                patient, form.cleaned_data["needs"], form.cleaned_data["urgency"], timezone.now()
            )
            actions.record_gaps(result, by=request.user)
    return render(request, "directory/search.html", {"form": form, "result": result})


@login_required
def services(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.MANAGE_SERVICES)
    staff = staff_of(request.user)
    own = (
        Service.objects.filter(provider_id=staff.organisation_id).select_related("team")
        if staff
        else Service.objects.none()
    )
    now = timezone.now()
    rows = [
        (
            service,
            CapacityForm(
                initial={
                    "capacity": service.capacity,
                    "free_slots": service.free_slots,
                    "next_start": service.next_start,
                },
                prefix=f"s{service.pk}",
            ),
            service.capacity_set_at is not None
            and (now - service.capacity_set_at).total_seconds()
            > service.capacity_stale_after_minutes * 60,
        )
        for service in own
    ]
    return render(request, "directory/services.html", {"rows": rows})


def _refused(request: HttpRequest, service: Service, errors: Mapping[str, Any]) -> HttpResponse:
    """Back to the capacity page, each refusal said against its service and field."""
    for field, said in errors.items():
        messages.error(request, f"{service.name}: {field}: {'; '.join(said)}")
    return redirect("directory:services")


@login_required
@require_http_methods(["POST"])
def update_capacity(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("provider"), pk=service_id)
    actions.check_can_manage(request.user, service)  # another provider's service: 403
    form = CapacityForm(request.POST, prefix=f"s{service.pk}")
    if not form.is_valid():
        return _refused(request, service, form.errors)
    try:
        actions.update_capacity(
            service_id=service.pk,
            capacity=form.cleaned_data["capacity"],
            free_slots=form.cleaned_data["free_slots"],
            next_start=form.cleaned_data["next_start"],
            by=request.user,
        )
    except ValidationError as exc:
        return _refused(request, service, exc.message_dict)
    messages.success(request, f"Capacity of {service.name} updated.")
    return redirect("directory:services")
