"""The hospital's list (and sending it as a CSV), and the day's discharge sitrep."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Patient
from wraparound.door.policy import visible_patients
from wraparound.organisations.models import Organisation, OrganisationKind
from wraparound.ui.forms import NHSForm

from . import actions
from . import report as reading
from .delays import REASONS
from .intake import import_hospital_list
from .models import HospitalStay
from .sitrep import COLUMNS, row

MAX_UPLOAD = 5 * 1024 * 1024
PAGE_SIZE = 200
HUB_PAGE = 500


class ListUploadForm(NHSForm):
    file = forms.FileField(label="The hospital's list (CSV)")


def _hospital(request: HttpRequest) -> Organisation:
    staff = staff_of(request.user)
    if (
        staff is None
        or not has_permission(request.user, Permission.RECORD_HOSPITAL_STAYS)
        or staff.organisation.kind != OrganisationKind.ACUTE_TRUST
    ):
        raise PermissionDenied("The hospital's list is for its own discharge staff")
    return staff.organisation


@login_required
@require_http_methods(["GET", "POST"])
def hospital_list(request: HttpRequest) -> HttpResponse:
    """Everyone in the hospital's beds: ready to leave first, the longest waiting first."""
    hospital = _hospital(request)
    form = ListUploadForm(request.POST or None, request.FILES or None)
    imported = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "Send at most 5 MB at a time")
        else:
            text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            imported = import_hospital_list(text, by=request.user)
    today = timezone.localdate()
    everyone = reading.in_hospital(hospital)
    show_all = request.GET.get("all") == "1"
    # The hub works the ready list; everyone in bed is a page further (a big hospital's
    # thousand beds are too many for one page).
    shown = everyone if show_all else everyone.filter(ready_since__isnull=False)
    rows = reading.hospital_list(shown, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if show_all else None
    listed = list(page) if page else rows
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.HOSPITAL_LIST,
        detail={
            "hospital": hospital.ods_code,
            "patients_shown": [r.stay.patient_id for r in listed],
        },
    )
    person_url = reverse("caseload:person", args=[0]).replace("/0/", "/{}/")
    return render(
        request,
        "discharge/list.html",
        {
            "hospital": hospital,
            "rows": [(r, person_url.format(r.stay.patient_id)) for r in listed],
            "page": page,
            "show_all": show_all,
            "in_bed": everyone.count(),
            "ready": len(rows) if not show_all else sum(1 for r in rows if r.stay.ready_since),
            "long_stays": reading.long_stays(everyone, today),
            "form": form,
            "imported": imported,
            "today": today,
        },
    )


@login_required
def sitrep_csv(request: HttpRequest) -> HttpResponse:
    """The day's discharge sitrep as CSV: ?date=YYYY-MM-DD (yesterday when absent)."""
    hospital = _hospital(request)
    day = parse_date(request.GET.get("date", "")) or timezone.localdate() - dt.timedelta(days=1)
    report = reading.sitrep(hospital, day)
    audit.record(
        user=request.user,
        action=AuditAction.EXPORT,
        purpose=Purpose.DISCHARGE_SITREP,
        detail={"hospital": hospital.ods_code, "date": day.isoformat()},
    )
    response = HttpResponse(content_type="text/csv")
    name = f"discharge-sitrep-{hospital.ods_code}-{day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    writer.writerow(row(report, reading.BED_DAY_PENCE))
    return response


@login_required
@require_http_methods(["POST"])
def refer(request: HttpRequest, stay_id: int) -> HttpResponse:
    """The ward sends the care transfer hub the person's referral (once a pathway's need)."""
    _hospital(request)
    try:
        stay = actions.refer_to_hub(stay_id=stay_id, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(
            request, f"Referred to the care transfer hub (referral {stay.hub_referral_id})"
        )
    return redirect("discharge:list")


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """The care transfer hub's worklist: everyone referred to it who is ready to go, the
    longest waiting first, with the time waited and why; each referral's page has the
    directory's answer for the pathway."""
    if not has_permission(request.user, Permission.TRIAGE_REFERRALS):
        raise PermissionDenied("The worklist is the care transfer hub's")
    seen = visible_patients(Patient.objects.all(), request.user).values("pk")
    stays = list(
        HospitalStay.objects.filter(
            discharged_at__isnull=True,
            ready_since__isnull=False,
            hub_referral__isnull=False,
            patient__in=seen,
        )
        .select_related("patient", "hospital", "hub_referral")
        .order_by("ready_since", "admitted_at")[:HUB_PAGE]
    )
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.HOSPITAL_LIST,
        detail={"hub": True, "patients_shown": [s.patient_id for s in stays]},
    )
    today = timezone.localdate()
    rows = [
        (
            s,
            (today - s.ready_since).days,
            REASONS[s.delay_reason].words if s.delay_reason in REASONS else "",
        )
        for s in stays
        if s.ready_since is not None
    ]
    return render(request, "discharge/hub.html", {"rows": rows})
