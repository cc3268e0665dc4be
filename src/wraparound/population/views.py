"""The cohort builder: a definition in, counts by deprivation quintile and by practice out,
as rates per 1,000 with intervals, small numbers suppressed. No person is named here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.ui.forms import add_errors

from . import actions
from .cohorts import CohortQuery, counts
from .forms import CohortForm, SaveCohortForm
from .models import Cohort


@login_required
@require_http_methods(["GET", "POST"])
def cohorts(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.VIEW_METRICS):
        raise PermissionDenied("Cohorts are for those who read the place's figures")
    staff = staff_of(request.user)
    assert staff is not None
    saved = Cohort.objects.filter(organisation=staff.organisation)
    chosen = saved.filter(pk=request.GET.get("cohort") or 0).first()
    data = request.POST if request.method == "POST" else request.GET
    save = SaveCohortForm(request.POST or None)
    query: CohortQuery | None = None
    if chosen is not None and request.method == "GET":  # a saved cohort, opened
        query = CohortQuery.from_json(chosen.definition)  # checked as it is read
        form = CohortForm(initial=CohortForm.initial_of(query))
    else:
        form = CohortForm(data if "counted" in data else None)
        if form.is_bound and form.is_valid():
            query = form.query()
            try:
                query.check()
            except ValidationError as exc:
                add_errors(form, exc)
                query = None
    if query is not None and request.method == "POST" and save.is_valid():
        try:
            cohort = actions.save_cohort(
                name=save.cleaned_data["name"], query=query, by=request.user
            )
        except ValidationError as exc:
            add_errors(save, exc)
        else:
            messages.success(request, f"Saved as {cohort.name}")
            return redirect(f"{request.path}?cohort={cohort.pk}")
    result = None
    if query is not None:
        result = counts(query, timezone.localdate())
        audit.record(
            user=request.user,
            action=AuditAction.SEARCH,
            purpose=Purpose.COHORT_COUNTED,
            detail={"definition": query.as_json(), "cohort": chosen.pk if chosen else None},
        )
    return render(
        request,
        "population/cohorts.html",
        {"form": form, "save": save, "result": result, "saved": saved, "chosen": chosen},
    )
