"""Pages about people. Every one reads through the access door and is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound import nhs_number
from wraparound.access import audit
from wraparound.access.models import AuditAction, ConsentDecision
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission, Section
from wraparound.door import actions as access_actions
from wraparound.door.policy import (
    UNKNOWN_PERSON,
    access_patient,
    has_permission,
    identify_patient,
    sections_for,
    visible_patients,
)

from .forms import BreakGlassForm, ConsentForm, PeopleSearchForm
from .models import Patient
from .views_team import AdviceForm

PAGE_SIZE = 50


@login_required
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    found = visible_patients(Patient.objects.all(), request.user).select_related("neighbourhood")
    query = ""
    sees = {section.value for section in sections_for(request.user)}
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"].strip()
        digits = nhs_number.normalise(query)
        # A role that does not see NHS numbers cannot find people by them either.
        if nhs_number.is_ascii_digits(digits) and Section.IDENTIFIERS.value in sees:
            found = found.filter(nhs_number__startswith=digits)
        else:
            for word in query.split():
                found = found.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    shown = list(found.order_by("family_name", "given_name", "pk")[:PAGE_SIZE])
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.FIND_A_PERSON,
        detail={"query": query, "patients_shown": [p.pk for p in shown]},
    )
    return render(
        request,
        "caseload/people.html",
        {
            "form": form,
            "people": shown,
            "query": query,
            "sees": sees,
            "can_break_glass": has_permission(request.user, Permission.BREAK_GLASS),
        },
    )


@login_required
def person(request: HttpRequest, patient_id: int) -> HttpResponse:
    """One person's record: only the sections the viewer's role may see are even read."""
    patient, decision = access_patient(request.user, patient_id, Purpose.VIEW_RECORD)
    sections = sections_for(request.user)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "patient": patient,
        "decision": decision,
        "sees": {section.value for section in sections},
        "age": patient.age_on(today),
    }
    readers: dict[Section, dict[str, Callable[[], Any]]] = {
        Section.CONSENT: {
            "consent": lambda: ConsentDecision.objects.filter(
                patient=patient, is_current=True
            ).first(),
            "consent_form": ConsentForm,
            "can_record_consent": lambda: has_permission(request.user, Permission.RECORD_CONSENT),
        },
        Section.CONDITIONS: {"conditions": lambda: list(patient.conditions.all())},
        Section.CARE_TEAM: {
            "caseloads": lambda: patient.caseload_entries.select_related(
                "team__organisation"
            ).order_by("-admitted_on"),
            "care_team": lambda: patient.care_team.select_related("organisation").filter(
                ended_on__isnull=True
            ),
        },
        Section.CARE_PLANS: {
            "care_plans": lambda: (
                patient.care_plans.filter(status="active")
                .select_related("team")
                .prefetch_related("goals", "interventions__named_nurse__user")
            ),
        },
        Section.VISITS: {
            "recent_visits": lambda: (
                patient.visits.filter(date__lt=today)
                .select_related("assigned_to__user")
                .order_by("-date")[:10]
            ),
            "planned_visits": lambda: (
                patient.visits.filter(date__gte=today)
                .select_related("assigned_to__user")
                .order_by("date", "window_start")[:10]
            ),
        },
        Section.ADVICE: {
            "advice": lambda: patient.advice_requests.select_related(
                "adviser_team", "asking_organisation", "asked_by", "answered_by"
            ),
            "advice_form": AdviceForm,
        },
        Section.HANDOVER: {
            "handovers": lambda: patient.handover_notes.select_related("author")[:5]
        },
    }
    for section, entries in readers.items():
        if section in sections:
            context.update({name: read() for name, read in entries.items()})
    return render(request, "caseload/person.html", context)


@login_required
@require_http_methods(["POST"])
def record_consent(request: HttpRequest, patient_id: int) -> HttpResponse:
    form = ConsentForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {'; '.join(errors)}")
        return redirect("caseload:person", patient_id=patient_id)
    access_actions.record_consent(patient_id=patient_id, by=request.user, **form.cleaned_data)
    messages.success(request, "Consent decision recorded.")
    return redirect("caseload:person", patient_id=patient_id)


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = identify_patient(
            data["nhs_number"],
            data["date_of_birth"],
            purpose=Purpose.BREAK_THE_GLASS,
            by=request.user,
        )
        if patient is None:
            form.add_error("nhs_number", UNKNOWN_PERSON)
        else:
            try:
                access_actions.break_glass(
                    patient_id=patient.pk, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.warning(
                    request, "You broke the glass. This access is recorded and will be reviewed."
                )
                return redirect("caseload:person", patient_id=patient.pk)
    return render(request, "caseload/break_glass.html", {"form": form})
