"""Pages about people. Every one reads through the access door and is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import actions as access_actions
from wraparound.access import audit
from wraparound.access.models import AuditAction, ConsentDecision
from wraparound.access.policy import access_patient, has_permission
from wraparound.access.roles import Permission

from . import nhs_number
from .forms import BreakGlassForm, ConsentForm, PeopleSearchForm
from .models import Patient
from .views_team import AdviceForm

PAGE_SIZE = 50


@login_required
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    found = Patient.objects.visible_to(request.user).select_related("neighbourhood")
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"].strip()
        digits = nhs_number.normalise(query)
        if digits.isdigit():
            found = found.filter(nhs_number__startswith=digits)
        else:
            for word in query.split():
                found = found.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    shown = list(found.order_by("family_name", "given_name", "pk")[:PAGE_SIZE])
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose="find a person",
        detail={"query": query, "patients_shown": [p.pk for p in shown]},
    )
    return render(
        request,
        "caseload/people.html",
        {
            "form": form,
            "people": shown,
            "query": query,
            "can_break_glass": has_permission(request.user, Permission.BREAK_GLASS),
        },
    )


@login_required
def person(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient, decision = access_patient(request.user, patient_id, "view the person's record")
    consent = ConsentDecision.objects.filter(patient=patient, is_current=True).first()
    today = timezone.localdate()
    context = {
        "patient": patient,
        "decision": decision,
        "consent": consent,
        "conditions": patient.conditions.all(),
        "caseloads": patient.caseload_entries.select_related("team__organisation").order_by(
            "-admitted_on"
        ),
        "care_team": patient.care_team.select_related("organisation").filter(ended_on__isnull=True),
        "age": patient.age_on(today),
        "care_plans": patient.care_plans.filter(status="active")
        .select_related("team")
        .prefetch_related("goals", "interventions__named_nurse__user"),
        "recent_visits": patient.visits.filter(date__lt=today)
        .select_related("assigned_to__user")
        .order_by("-date")[:10],
        "planned_visits": patient.visits.filter(date__gte=today)
        .select_related("assigned_to__user")
        .order_by("date", "window_start")[:10],
        "advice": patient.advice_requests.select_related(
            "adviser_team", "asking_organisation", "asked_by", "answered_by"
        ),
        "handovers": patient.handover_notes.select_related("author")[:5],
        "advice_form": AdviceForm(),
        "consent_form": ConsentForm(),
        "can_record_consent": has_permission(request.user, Permission.RECORD_CONSENT),
    }
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
        patient = Patient.objects.filter(nhs_number=form.cleaned_data["nhs_number"]).first()
        if patient is None:
            form.add_error("nhs_number", "No person with this NHS number is known to Wraparound")
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
