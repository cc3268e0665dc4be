"""The hospital's list (and sending it as a CSV), and the day's discharge sitrep."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.ui.forms import NHSForm, add_errors

from . import actions
from . import report as reading
from .destinations import destinations
from .forms import DelayForm, LeftForm, ReviewForm
from .intake import import_hospital_list
from .models import DischargePlan, HospitalStay
from .sitrep import COLUMNS, row

MAX_UPLOAD = 5 * 1024 * 1024
PAGE_SIZE = 200


class ListUploadForm(NHSForm):
    file = forms.FileField(label="The hospital's list (CSV)")


@login_required
@require_http_methods(["GET", "POST"])
def hospital_list(request: HttpRequest) -> HttpResponse:
    """Everyone in the hospital's beds: ready to leave first, the longest waiting first."""
    hospital = actions.hospital_of(request.user)
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
    hospital = actions.hospital_of(request.user)
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
    actions.hospital_of(request.user)
    try:
        stay = actions.refer_to_hub(stay_id=stay_id, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(
            request, f"Referred to the care transfer hub (referral {stay.hub_referral_id})"
        )
    if request.POST.get("back") == "stay":
        return redirect("discharge:stay", stay_id=stay_id)
    return redirect("discharge:list")


# The stay's fields as the ward's forms name them, so a refusal shows beside its field.
FORM_FIELD = {
    "discharge_destination": "destination",
    "delay_reason": "reason",
    "delay_since": "since",
    "discharged_at": "left_at",
    "criteria_decided_by": "decided_by",
}


def _changes(which: str, data: dict[str, Any], stay: HospitalStay) -> dict[str, Any]:
    """A ward form's answers as the stay's fields they change."""
    today = timezone.localdate()
    if which == "review" and data["ready"]:
        return {
            "ready_since": stay.ready_since or today,
            "pathway": data["pathway"],
            "discharge_destination": data["destination"],
            "criteria_decided_by": data["decided_by"],
        }
    if which == "review":  # still meets the criteria: no longer ready, so no longer waiting
        return {
            "ready_since": None,
            "pathway": "",
            "delay_reason": "",
            "delay_since": None,
            "criteria_decided_by": data["decided_by"],
        }
    if which == "delay":
        return {"delay_reason": data["reason"], "delay_since": data["since"]}
    return {"discharged_at": data["left_at"], "discharge_destination": data["destination"]}


@login_required
@require_http_methods(["GET", "POST"])
def stay_page(request: HttpRequest, stay_id: int) -> HttpResponse:
    """One stay for its ward: today's review, the delay, the hub's plan, and leaving."""
    hospital = actions.hospital_of(request.user)
    stay = (
        HospitalStay.objects.select_related("patient", "hub_referral")
        .filter(pk=stay_id, hospital=hospital)
        .first()
    )
    if stay is None:
        raise Http404("No such stay in your hospital")
    which = request.POST.get("form", "") if request.method == "POST" else ""
    now = timezone.localtime()
    forms_ = {
        "review": ReviewForm(
            request.POST if which == "review" else None,
            prefix="review",
            initial={"pathway": stay.pathway, "destination": stay.discharge_destination},
        ),
        "delay": DelayForm(
            request.POST if which == "delay" else None,
            prefix="delay",
            initial={"reason": stay.delay_reason, "since": stay.delay_since or now.date()},
        ),
        "left": LeftForm(
            request.POST if which == "left" else None,
            prefix="left",
            initial={
                "left_at": now.replace(second=0, microsecond=0, tzinfo=None),
                "destination": stay.discharge_destination,
            },
        ),
    }
    form = forms_.get(which)
    if form is not None and form.is_valid():
        try:
            actions.update_stay(
                stay_id=stay.pk, by=request.user, **_changes(which, form.cleaned_data, stay)
            )
        except ValidationError as exc:
            named = {FORM_FIELD.get(k, k): v for k, v in exc.message_dict.items()}
            add_errors(form, ValidationError(named))
        else:
            messages.success(request, "Saved")
            return redirect("discharge:stay", stay_id=stay.pk)
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        purpose=Purpose.HOSPITAL_LIST,
        patient_id=stay.patient_id,
        basis="the hospital's own list",
        detail={"stay_id": stay.pk},
    )
    today = now.date()
    return render(
        request,
        "discharge/stay.html",
        {
            "stay": stay,
            "length_of_stay": stay.length_of_stay(today),
            "reason": stay.waiting_for,
            "destination": destinations().get(stay.discharge_destination, ""),
            "plan": DischargePlan.objects.filter(stay=stay)
            .select_related("package_service", "bridging_service")
            .first(),
            "reviews": stay.reviews.order_by("-reviewed_on")[:7],
            "forms": forms_,
        },
    )
