"""The hospital's list (and sending it as a CSV), and the day's discharge sitrep."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.organisations.models import Organisation, OrganisationKind
from wraparound.ui.forms import NHSForm

from . import report as reading
from .intake import import_hospital_list
from .sitrep import COLUMNS, row

MAX_UPLOAD = 5 * 1024 * 1024
PAGE_SIZE = 200


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
