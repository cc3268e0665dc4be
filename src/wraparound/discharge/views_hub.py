"""The care transfer hub: its worklist (everyone referred to it who is ready to go, the
longest waiting first, each with the directory's answer for their pathway) and the plan for
one person (the package, the day it starts, bridging care until then)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Patient
from wraparound.directory.search import Match, SearchResult
from wraparound.door.policy import access_patient, visible_patients
from wraparound.referrals.routing import services_for
from wraparound.ui.forms import add_errors

from . import actions
from .forms import PlanForm
from .models import DischargePlan, HospitalStay
from .pathways import bridging_answer

HUB_PAGE = 25  # each row asks the directory, so a page is what a coordinator reads at once


def _require_hub(request: HttpRequest) -> None:
    if not has_permission(request.user, Permission.TRIAGE_REFERRALS):
        raise PermissionDenied("The worklist is the care transfer hub's")


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """Everyone referred to the hub who is ready to go, the longest waiting first, with the
    time waited, why, and what the directory offers for the pathway now."""
    _require_hub(request)
    seen = visible_patients(Patient.objects.all(), request.user).values("pk")
    stays = (
        HospitalStay.objects.filter(
            discharged_at__isnull=True,
            ready_since__isnull=False,
            hub_referral__isnull=False,
            patient__in=seen,
        )
        .select_related("patient", "hospital", "hub_referral", "plan")
        .order_by("ready_since", "admitted_at")
    )
    page = Paginator(stays, HUB_PAGE).get_page(request.GET.get("page"))
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.HOSPITAL_LIST,
        detail={"hub": True, "patients_shown": [s.patient_id for s in page]},
    )
    now = timezone.now()
    today = timezone.localdate(now)
    rows = []
    for stay in page:
        assert stay.ready_since is not None and stay.hub_referral is not None
        answer = services_for(stay.hub_referral, now)
        rows.append(
            {
                "stay": stay,
                "waited": (today - stay.ready_since).days,
                "reason": stay.waiting_for,
                "answer": answer,
                "best": answer.eligible[0] if answer and answer.eligible else None,
                "plan": getattr(stay, "plan", None),
            }
        )
    return render(request, "discharge/hub.html", {"rows": rows, "page": page})


def _label(match: Match) -> str:
    service = match.service
    words = f"{service.name} ({service.provider_name}): capacity {match.capacity}"
    if match.starts_on:
        words += f", first start {match.first_start_words}"
    return words


def _choices(result: SearchResult | None) -> list[tuple[int, str]]:
    return [(m.service.id, _label(m)) for m in result.eligible] if result else []


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, stay_id: int) -> HttpResponse:
    """The hub plans one person's leaving from the directory's answers."""
    _require_hub(request)
    stay = (
        HospitalStay.objects.select_related("hospital", "hub_referral")
        .filter(pk=stay_id, discharged_at__isnull=True, hub_referral__isnull=False)
        .first()
    )
    if stay is None or stay.hub_referral is None:
        raise Http404("No such stay on the hub's worklist")
    patient, _ = access_patient(request.user, stay.patient_id, Purpose.DISCHARGE_PLANNING)
    stay.patient = patient
    now = timezone.now()
    package = services_for(stay.hub_referral, now)
    bridging = bridging_answer(stay, now)
    current = DischargePlan.objects.filter(stay=stay).first()
    soonest = package.eligible[0].starts_on if package and package.eligible else None
    today = timezone.localdate(now)
    form = PlanForm(
        request.POST or None,
        packages=_choices(package),
        bridging=_choices(bridging),
        initial={
            "leaves_on": current.leaves_on if current else today,
            "package_starts": current.package_starts if current else soonest or today,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.plan_discharge(
                stay_id=stay.pk,
                leaves_on=form.cleaned_data["leaves_on"],
                package_service_id=form.cleaned_data["package_service"],
                package_starts=form.cleaned_data["package_starts"],
                bridging_service_id=form.cleaned_data["bridging_service"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Plan made for {patient.given_name} {patient.family_name}")
            return redirect("discharge:plan", stay_id=stay.pk)
    return render(
        request,
        "discharge/plan.html",
        {
            "stay": stay,
            "waited": (today - stay.ready_since).days if stay.ready_since else 0,
            "reason": stay.waiting_for,
            "package": package,
            "bridging": bridging,
            "form": form,
            "current": current,
        },
    )
