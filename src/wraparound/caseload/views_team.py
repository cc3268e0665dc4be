"""A team's caseload, handover notes, and advice requests between organisations."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission, Section
from wraparound.door.policy import has_permission, require_section, visible_patients
from wraparound.organisations.models import Neighbourhood, Team
from wraparound.ui.forms import DateInput, NHSForm

from . import actions
from .models import AdviceRequest, AdviceUrgency, Patient

FRAIL_AGE = 80
FRAIL_CONDITIONS = 3


class CaseloadFilter(NHSForm):
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.all(), required=False)
    flagged = forms.BooleanField(
        label=f"Only people aged {FRAIL_AGE}+ with {FRAIL_CONDITIONS}+ long-term conditions",
        required=False,
    )
    due_by = forms.DateField(
        label="Next visit due on or before",
        required=False,
        widget=DateInput(),
    )
    no_visit_for_days = forms.IntegerField(
        label="No completed visit for at least (days)", required=False, min_value=1, max_value=365
    )


def _my_team(request: HttpRequest) -> Team:
    staff = getattr(request.user, "staff_member", None)
    if (
        staff is None
        or staff.team is None
        or not has_permission(request.user, Permission.VIEW_PATIENT_RECORD)
    ):
        raise PermissionDenied("You are not in a team with a caseload")
    # The team's caseload shows frailty and conditions: a clinical list.
    require_section(request.user, Section.CONDITIONS)
    return staff.team


@login_required
def team_caseload(request: HttpRequest) -> HttpResponse:
    team = _my_team(request)
    form = CaseloadFilter(request.GET or None)
    today = timezone.localdate()
    people = (
        visible_patients(Patient.objects.all(), request.user)
        .filter(caseload_entries__team=team, caseload_entries__discharged_on__isnull=True)
        .select_related("neighbourhood")
        .annotate(
            condition_count=Count("conditions", distinct=True),
            next_visit=Min(
                "visits__date",
                filter=Q(visits__date__gte=today, visits__status__in=["planned", "assigned"]),
            ),
            last_visit=Max("visits__date", filter=Q(visits__status="completed")),
        )
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["neighbourhood"]:
            people = people.filter(neighbourhood=data["neighbourhood"])
        if data["flagged"]:
            born_before = today.replace(year=today.year - FRAIL_AGE)
            people = people.filter(
                date_of_birth__lte=born_before, condition_count__gte=FRAIL_CONDITIONS
            )
        if data["due_by"]:
            people = people.filter(next_visit__lte=data["due_by"])
        if data["no_visit_for_days"]:
            since = today - dt.timedelta(days=data["no_visit_for_days"])
            people = people.filter(Q(last_visit__lt=since) | Q(last_visit__isnull=True))
    shown = list(people.order_by("family_name", "given_name", "pk")[:200])
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.TEAM_CASELOAD,
        detail={"team": team.code, "patients_shown": [p.pk for p in shown]},
    )
    return render(
        request,
        "caseload/team_caseload.html",
        {"team": team, "form": form, "people": shown, "today": today},
    )


@login_required
@require_http_methods(["POST"])
def write_handover(request: HttpRequest, patient_id: int) -> HttpResponse:
    try:
        actions.write_handover(
            patient_id=patient_id, text=request.POST.get("text", ""), by=request.user
        )
        messages.success(request, "Handover note saved.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("caseload:person", patient_id=patient_id)


class AdviceForm(NHSForm):
    adviser_team = forms.ModelChoiceField(
        label="Ask which service", queryset=Team.objects.select_related("organisation")
    )
    # Nothing preset: "urgent" by default put every question at the top of another team's list.
    urgency = forms.ChoiceField(
        label="How soon you need an answer",
        choices=[("", "Choose how soon"), *AdviceUrgency.choices],
    )
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@login_required
@require_http_methods(["POST"])
def ask_advice(request: HttpRequest, patient_id: int) -> HttpResponse:
    form = AdviceForm(request.POST)
    if form.is_valid():
        actions.ask_advice(patient_id=patient_id, by=request.user, **form.cleaned_data)
        messages.success(request, "Advice request sent.")
    else:
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else field}: {' '.join(errors)}",
            )
    return redirect("caseload:person", patient_id=patient_id)


@login_required
def advice_worklist(request: HttpRequest) -> HttpResponse:
    """Requests to the user's organisation's teams; a person's name only where the policy allows."""
    staff = getattr(request.user, "staff_member", None)
    if staff is None or not has_permission(request.user, Permission.VIEW_PATIENT_RECORD):
        raise PermissionDenied("Your role does not answer advice requests")
    require_section(request.user, Section.ADVICE)
    requests = list(
        AdviceRequest.objects.filter(adviser_team__organisation=staff.organisation)
        .select_related("adviser_team", "asking_organisation", "asked_by")
        .order_by("status", "respond_by")[:200]
    )
    visible = set(
        visible_patients(Patient.objects.all(), request.user)
        .filter(pk__in={r.patient_id for r in requests})
        .values_list("pk", flat=True)
    )
    people = Patient.objects.in_bulk(visible)
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.ADVICE_WORKLIST,
        detail={"patients_shown": sorted(visible)},
    )
    rows = [(r, people.get(r.patient_id)) for r in requests]
    return render(request, "caseload/advice_worklist.html", {"rows": rows, "now": timezone.now()})


@login_required
@require_http_methods(["POST"])
def answer_advice(request: HttpRequest, request_id: int) -> HttpResponse:
    advice = get_object_or_404(AdviceRequest, pk=request_id)
    try:
        actions.answer_advice(
            request_id=advice.pk, answer=request.POST.get("answer", ""), by=request.user
        )
        messages.success(request, "Answer sent; it is on the person's record.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("caseload:advice_worklist")
