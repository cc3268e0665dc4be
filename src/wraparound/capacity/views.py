"""The ward pages: the wards of the place, who is on one, admitting and discharging."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
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
from wraparound.door.policy import (
    UNKNOWN_PERSON,
    access_patient,
    identify_patient,
    visible_patients,
)
from wraparound.ui.forms import add_errors

from . import actions
from .forms import AdmitForm, DischargeForm
from .models import Ward, WardStay


def _place_wards(request: HttpRequest) -> QuerySet[Ward]:
    staff = staff_of(request.user)
    if staff is None or not has_permission(request.user, Permission.VIEW_PATIENT_RECORD):
        raise PermissionDenied("Your role does not see who is on a ward")
    return Ward.objects.filter(service__provider__place_id=staff.organisation.place_id)


@login_required
def wards(request: HttpRequest) -> HttpResponse:
    """The place's virtual wards and community beds, each with its census now."""
    return render(
        request,
        "capacity/wards.html",
        {
            "wards": _place_wards(request).select_related("service__provider"),
            "can_admit": has_permission(request.user, Permission.ADMIT_TO_VIRTUAL_WARD),
        },
    )


@login_required
def ward(request: HttpRequest, ward_id: int) -> HttpResponse:
    """Who is on the ward, of the people the viewer may see, with the day count."""
    found = _place_wards(request).select_related("service").filter(pk=ward_id).first()
    if found is None:
        raise Http404("No such ward")
    seen = visible_patients(Patient.objects.all(), request.user).values("pk")
    stays = list(
        found.stays.filter(discharged_at__isnull=True, patient__in=seen)
        .select_related("patient", "pathway", "admitted_by")
        .order_by("admitted_at")
    )
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.WARD_LIST,
        detail={"ward": found.pk, "patients_shown": [s.patient_id for s in stays]},
    )
    today = timezone.localdate()
    return render(
        request,
        "capacity/ward.html",
        {
            "ward": found,
            "rows": [(s, s.day_count(today), s.review_due(today)) for s in stays],
            "hidden": found.census - len(stays),
            "can_admit": has_permission(request.user, Permission.ADMIT_TO_VIRTUAL_WARD),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def admit(request: HttpRequest, ward_id: int) -> HttpResponse:
    found = _place_wards(request).filter(pk=ward_id).first()
    if found is None:
        raise Http404("No such ward")
    if not has_permission(request.user, Permission.ADMIT_TO_VIRTUAL_WARD):
        raise PermissionDenied("Only an authorised senior clinician admits to a virtual ward")
    form = AdmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = identify_patient(
            data["nhs_number"],
            data["date_of_birth"],
            purpose=Purpose.WARD_ADMISSION,
            by=request.user,
        )
        try:
            if person is None:
                raise ValidationError({"nhs_number": UNKNOWN_PERSON})
            stay, admitted = actions.admit_to_ward(
                ward_id=found.pk,
                patient_id=person.pk,
                direction=data["direction"],
                pathway=data["pathway"],
                reason=data["reason"],
                out_of_hours_cover=data["out_of_hours_cover"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, "Admitted to the ward" if admitted else "Already on the ward: no change"
            )
            return redirect("capacity:stay", stay_id=stay.pk)
    return render(request, "capacity/admit.html", {"ward": found, "form": form})


def _stay(request: HttpRequest, stay_id: int) -> WardStay:
    stay = WardStay.objects.select_related("ward__service", "pathway").filter(pk=stay_id).first()
    if stay is None:
        raise Http404("No such stay")
    # The door decides, and audits, whether this person's record may be opened.
    access_patient(request.user, stay.patient_id, Purpose.VIEW_RECORD)
    return stay


def _stay_page(
    request: HttpRequest, found: WardStay, form: DischargeForm | None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "capacity/stay.html",
        {
            "stay": found,
            "day_count": found.day_count(today),
            "review_due": found.review_due(today),
            "form": form,
        },
        status=status,
    )


@login_required
def stay(request: HttpRequest, stay_id: int) -> HttpResponse:
    """A stay: who admitted whom and why, the day count, and the GP's summary at the end."""
    found = _stay(request, stay_id)
    can_discharge = found.discharged_at is None and has_permission(
        request.user, Permission.ADMIT_TO_VIRTUAL_WARD
    )
    return _stay_page(request, found, DischargeForm() if can_discharge else None)


@login_required
@require_http_methods(["POST"])
def discharge(request: HttpRequest, stay_id: int) -> HttpResponse:
    found = _stay(request, stay_id)
    form = DischargeForm(request.POST)
    if form.is_valid():
        try:
            actions.discharge_from_ward(
                stay_id=found.pk,
                disposition=form.cleaned_data["disposition"],
                gp_summary=form.cleaned_data["gp_summary"],
                medication_changes=form.medication_changes(),
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Discharged; the summary is with the GP practice")
            return redirect("capacity:stay", stay_id=found.pk)
    return _stay_page(request, found, form, status=400)
