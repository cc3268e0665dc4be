"""Referral pages: send one, see your own, the coordination centre's worklist, and one
referral with the steps the viewer may take. Each validates, calls one action, renders."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.ui.forms import add_errors
from wraparound.ui.session import kept_form

from . import actions
from .forms import DeclineForm, OfferForm, OverrideForm, ReferralForm, ReturnForm, WorklistFilter
from .lifecycle import Status
from .models import Referral
from .routing import services_for
from .triage import Urgency
from .worklist import (
    View,
    coordination_worklist,
    masked_person,
    offered_to,
    sent_by,
    time_left,
    view_of,
)


def _require(request: HttpRequest, permission: Permission) -> None:
    if not has_permission(request.user, permission):
        raise NoAccess("Your role cannot use this page")


@login_required
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.REFER)
    kept = kept_form(request) if request.method == "GET" else None
    form = ReferralForm(
        request.POST or kept or None, initial={"token": uuid.uuid4()}, by=request.user
    )
    if kept is not None:
        messages.info(
            request, "Here is what you typed before signing in again. Check it, then send it."
        )
        return render(request, "referrals/new.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral, created = actions.submit_referral(
                patient=data["patient"],
                source=data["source"],
                needs=data["needs"],
                clinical_summary=data["clinical_summary"],
                idempotency_key=f"web-{data['token']}",
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    f"Referral received: {referral.get_urgency_display()}, "
                    f"target {timezone.localtime(referral.due_at):%d %b %Y %H:%M}.",
                )
            else:
                messages.info(
                    request, "This referral had already been received; nothing was added."
                )
            return redirect("referrals:mine")
    return render(request, "referrals/new.html", {"form": form})


@login_required
def my_referrals(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.VIEW_OWN_REFERRALS)
    referrals = sent_by(request.user)
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.MY_REFERRALS,
        basis="referrer",
        detail={
            "patients_shown": sorted({r.referral.patient_id for r in referrals if r.sees_person}),
            "referrals_shown": [r.referral.pk for r in referrals],
        },
    )
    return render(request, "referrals/mine.html", {"referrals": referrals})


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.TRIAGE_REFERRALS)
    filters = WorklistFilter(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    shown = coordination_worklist(
        request.user,
        timezone.now(),
        team_id=chosen["team"].pk if chosen.get("team") else None,
        neighbourhood_id=chosen["neighbourhood"].pk if chosen.get("neighbourhood") else None,
        page=request.GET.get("page", 1),
    )
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.COORDINATION_WORKLIST,
        basis="coordination centre",
        detail={
            "patients_shown": sorted({row.referral.patient_id for row in shown.rows}),
            "page": shown.page.number,
        },
    )
    # The page links keep the filters chosen.
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "referrals/worklist.html",
        {
            "rows": shown.rows,
            "page": shown.page,
            "filters": filters,
            "kept_query": kept.urlencode(),
        },
    )


@login_required
def team_referrals(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.ACCEPT_REFERRALS)
    referrals = offered_to(request.user)
    now = timezone.now()
    for referral in referrals:  # how long the team has to answer, as on the worklist
        referral.time_left, referral.breached = time_left(referral.due_at, now)  # type: ignore[attr-defined]
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.OFFERED_TO_THE_TEAM,
        basis="team offered the referral",
        detail={"patients_shown": sorted({r.patient_id for r in referrals})},
    )
    return render(request, "referrals/team.html", {"referrals": referrals})


def _referral_for(
    request: HttpRequest, referral_id: int, purpose: Purpose, *, full: bool = True
) -> tuple[Referral, str, View]:
    """The referral as this user may see it; refused (and audited) when they may not.

    Steps on a referral (``full``) need the whole view: its sender's sight of its progress
    is not enough to change it.
    """
    referral = Referral.objects.select_related("patient", "offered_team").filter(pk=referral_id)
    found = referral.first()
    if found is None:
        raise Http404("No such referral")
    seen = view_of(request.user, found)
    if seen is None or (full and seen.view != View.FULL):
        audit.record(
            user=request.user,
            action=AuditAction.DENIED,
            purpose=purpose,
            patient_id=found.patient_id,
            detail={"referral_id": found.pk},
        )
        raise NoAccess("You cannot see this referral")
    return found, seen.basis, seen.view


def _progress(request: HttpRequest, referral: Referral, basis: str) -> HttpResponse:
    """Its sender following a referral: where it is, not whose record it is."""
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        purpose=Purpose.FOLLOW_A_SENT_REFERRAL,
        basis=basis,
        detail={"referral_id": referral.pk},
    )
    left, _breached = time_left(referral.due_at, timezone.now())
    context = {
        "referral": referral,
        "person": masked_person(referral.patient),
        "events": referral.events.select_related("team"),
        "time_left": left,
        "closed": referral.closed_at is not None,
    }
    return render(request, "referrals/progress.html", context)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, basis, view = _referral_for(request, referral_id, Purpose.VIEW_A_REFERRAL, full=False)
    if view == View.PROGRESS:
        return _progress(request, referral, basis)
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        purpose=Purpose.VIEW_A_REFERRAL,
        patient_id=referral.patient_id,
        basis=basis,
        detail={"referral_id": referral.pk},
    )
    user = request.user
    team = referral.offered_team
    coordinates = has_permission(user, Permission.TRIAGE_REFERRALS)
    holds = (
        team is not None
        and referral.status == Status.OFFERED
        and has_permission(user, Permission.ACCEPT_REFERRALS, team=team)
    )
    now = timezone.now()
    left, breached = time_left(referral.due_at, now)
    if referral.closed_at is not None:  # a returned or completed referral has no clock
        left, breached = f"closed {timezone.localtime(referral.closed_at):%d %b %H:%M}", False
    can_offer = coordinates and referral.status in {Status.TRIAGED, Status.DECLINED}
    # An untriaged referral (left so by a failure after it was stored) is triaged from here.
    can_triage = coordinates and referral.status == Status.RECEIVED
    context: dict[str, Any] = {
        # The directory beside the referral: who can take this person now, and why not the rest.
        "result": services_for(referral, now) if can_offer else None,
        "referral": referral,
        "events": referral.events.select_related("by", "team"),
        "time_left": left,
        "breached": breached,
        "can_override": coordinates
        and referral.status in {Status.TRIAGED, Status.OFFERED, Status.DECLINED},
        "can_offer": can_offer,
        "can_triage": can_triage,
        "can_return": coordinates
        and referral.status in {Status.RECEIVED, Status.TRIAGED, Status.DECLINED},
        "can_answer": holds,
        "override_form": OverrideForm(initial={"urgency": referral.urgency}),
        "offer_form": OfferForm(),
        "return_form": ReturnForm(),
        "decline_form": DeclineForm(),
    }
    return render(request, "referrals/detail.html", context)


def _step(
    request: HttpRequest,
    referral_id: int,
    form_class: type[Form] | None,
    act: Callable[..., Any],
    purpose: Purpose,
    done: str,
) -> HttpResponse:
    referral, _basis, _view = _referral_for(request, referral_id, purpose)
    fields: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {'; '.join(errors)}")
            return redirect("referrals:detail", referral_id=referral.pk)
        fields = dict(form.cleaned_data)
        if "team" in fields:
            fields = {"team_id": fields.pop("team").pk}
    try:
        act(referral_id=referral.pk, by=request.user, **fields)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field}: {'; '.join(errors)}")
    else:
        messages.success(request, done)
    return _next_page(request, referral.pk)


def _next_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Back to the referral while the user may still see it; else to their own list.

    A team that declines a referral no longer holds it, so its page is no longer theirs:
    they land on their team's list with the outcome, not on a refusal.
    """
    referral = Referral.objects.select_related("patient").get(pk=referral_id)
    seen = view_of(request.user, referral)
    if seen is not None and seen.view == View.FULL:
        return redirect("referrals:detail", referral_id=referral_id)
    if has_permission(request.user, Permission.ACCEPT_REFERRALS):
        return redirect("referrals:team")
    if has_permission(request.user, Permission.TRIAGE_REFERRALS):
        return redirect("referrals:worklist")
    return redirect("referrals:mine")


@login_required
@require_POST
def triage(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step(
        request,
        referral_id,
        None,
        actions.triage_referral,
        Purpose.TRIAGE_A_REFERRAL,
        "Triaged by the rules.",
    )


@login_required
@require_POST
def override(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step(
        request,
        referral_id,
        OverrideForm,
        actions.override_urgency,
        Purpose.CHANGE_URGENCY,
        "Urgency changed.",
    )


@login_required
@require_POST
def offer(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step(
        request,
        referral_id,
        OfferForm,
        actions.offer_to_team,
        Purpose.OFFER_A_REFERRAL,
        "Offered to the team.",
    )


@login_required
@require_POST
def return_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step(
        request,
        referral_id,
        ReturnForm,
        actions.return_to_referrer,
        Purpose.RETURN_A_REFERRAL,
        "Returned to the referrer.",
    )


@login_required
@require_POST
def accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    accepted_now: list[bool] = []

    def act(**kwargs: Any) -> Referral:
        referral, changed = actions.accept_referral(**kwargs)
        accepted_now.append(changed)
        return referral

    response = _step(
        request,
        referral_id,
        None,
        act,
        Purpose.ACCEPT_A_REFERRAL,
        "Accepted: on your team's caseload.",
    )
    referral = Referral.objects.select_related("offered_team").get(pk=referral_id)
    # Only the request that accepted it plans the response: a repeated accept changes nothing.
    if accepted_now == [True] and referral.urgency == Urgency.TWO_HOUR:
        # A 2-hour response goes straight into today's plan: show where it fits and what moves.
        from wraparound.scheduling.urgent import respond_to_urgent_referral

        proposal = respond_to_urgent_referral(referral=referral, by=request.user)
        if proposal is not None:
            return redirect("scheduling:urgent_proposal", plan_id=proposal.pk)
        messages.warning(
            request, "Nobody in the team is on shift today: arrange the response by phone."
        )
    return response


@login_required
@require_POST
def decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _step(
        request,
        referral_id,
        DeclineForm,
        actions.decline_referral,
        Purpose.DECLINE_A_REFERRAL,
        "Declined: back with the coordination centre.",
    )
