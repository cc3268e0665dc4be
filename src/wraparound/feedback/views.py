"""The Friends and Family Test's pages: the person's (no sign-in) and the team's."""

from __future__ import annotations

import csv

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.metrics.charts import p_chart_svg
from wraparound.organisations.models import Team
from wraparound.ui.forms import add_errors

from . import actions, links
from .fft import OTHER, QUESTION, THEMES, Answer
from .forms import AnswerForm, MonthForm, YouSaidWeDidForm
from .models import YouSaidWeDid
from .reports import return_counts, team_month


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The person's page: the question, the six answers, why; once per link."""
    try:
        invitation = links.open_invitation(token)
    except links.LinkNotUsable as exc:
        return render(
            request, "feedback/link_not_usable.html", {"problem": exc.messages[0]}, status=410
        )
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_feedback(
                token=token,
                rating=form.cleaned_data["rating"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except links.LinkNotUsable as exc:
            return render(
                request, "feedback/link_not_usable.html", {"problem": exc.messages[0]}, status=410
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("feedback:thanks", team_code=invitation.team.code)
    return render(request, "feedback/answer.html", {"form": form, "team": invitation.team})


def thanks(request: HttpRequest, team_code: str) -> HttpResponse:
    """Thank you, and what the team has done about what people said (published by the team)."""
    entries = YouSaidWeDid.objects.filter(team__code=team_code).select_related("team")[:5]
    return render(request, "feedback/thanks.html", {"entries": entries})


def _team_of(request: HttpRequest) -> int:
    staff = staff_of(request.user)
    if staff is None or not has_permission(request.user, Permission.VIEW_TEAM_FEEDBACK):
        raise PermissionDenied("Your role does not read a team's feedback")
    if staff.team_id is None:
        raise PermissionDenied("Feedback is read by the team's own staff")
    return int(staff.team_id)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """The team's month: the return, % positive and negative, the chart, themes, comments."""
    team_id = _team_of(request)
    form = MonthForm(request.GET or None)
    month = timezone.localdate().replace(day=1)
    if form.is_valid() and form.cleaned_data.get("month"):
        month = form.cleaned_data["month"]
    report = team_month(Team.objects.select_related("organisation").get(pk=team_id), month)
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        purpose=Purpose.TEAM_FEEDBACK,
        basis="the team's own feedback",
        detail={"team": report.team.code, "month": month.isoformat()},
    )
    # p_chart_svg escapes every text it writes, as the metrics pages' charts do.
    chart = (
        mark_safe(
            p_chart_svg(
                report.chart,
                title=f"% positive by month, {report.team.name}",
                what="% of answers Very good or Good",
                element_id="fft-p-chart",
            )
        )
        if report.chart
        else None
    )
    return render(
        request,
        "feedback/team.html",
        {
            "report": report,
            "form": form,
            "chart": chart,
            "rows": [(a.label, report.summary.shown(a)) for a in Answer],
            "question": QUESTION,
            "theme_rules": [*THEMES.items(), (OTHER, ("a comment that matches no theme",))],
            "publish": has_permission(request.user, Permission.PUBLISH_FEEDBACK),
            "can_return": has_permission(request.user, Permission.VIEW_METRICS),
            "you_said_form": YouSaidWeDidForm(),
        },
    )


@login_required
def monthly_return_csv(request: HttpRequest) -> HttpResponse:
    """The organisation's monthly FFT return: the six counts for each team, as submitted
    (counts, no comments; suppression is for publishing, not for the return)."""
    staff = staff_of(request.user)
    if staff is None or not has_permission(request.user, Permission.VIEW_METRICS):
        raise PermissionDenied("Your role does not make the organisation's returns")
    form = MonthForm(request.GET or None)
    if not form.is_valid() or not form.cleaned_data.get("month"):
        message = "month: give the month as YYYY-MM, for example 2026-11"
        return HttpResponse(message, status=400, content_type="text/plain")
    month = form.cleaned_data["month"].replace(day=1)
    counts = return_counts(staff.organisation_id, month)
    audit.record(
        user=request.user,
        action=AuditAction.EXPORT,
        purpose=Purpose.TEAM_FEEDBACK,
        basis="the organisation's monthly return",
        detail={"month": month.isoformat(), "teams": len(counts)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fft-return-{month:%Y-%m}.csv"'
    out = csv.writer(response)
    out.writerow(
        [
            "period", "organisation_code", "team_code", "team_name", "service",
            "mode_of_collection", *[a.value for a in Answer], "total",
        ]
    )  # fmt: skip
    for team, by_answer in counts:
        row = [by_answer.get(a.value, 0) for a in Answer]
        out.writerow(
            [
                f"{month:%Y-%m}",
                team.organisation.ods_code,
                team.code,
                team.name,
                team.get_service_kind_display(),
                "online (link or QR code after a visit)",
                *row,
                sum(row),
            ]
        )
    return response


@login_required
@require_http_methods(["POST"])
def publish(request: HttpRequest) -> HttpResponse:
    team_id = _team_of(request)
    form = YouSaidWeDidForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_you_said_we_did(team_id=team_id, by=request.user, **form.cleaned_data)
        except NoAccess as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Published. People see it after they answer.")
            return redirect("feedback:team")
    messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("feedback:team")


@login_required
@require_http_methods(["POST"])
def invite(request: HttpRequest, visit_id: int) -> HttpResponse:
    """A link and a QR code for the person just visited, to answer on their own phone."""
    try:
        invitation, token = actions.invite_feedback(visit_id=visit_id, by=request.user)
    except NoAccess as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("caseload:my_day")
    link = request.build_absolute_uri(reverse("feedback:answer", args=[token]))
    qr = segno.make(link, error="m").svg_inline(scale=4, title="QR code for the feedback link")
    return render(
        request,
        "feedback/invite.html",
        {
            "link": link,
            "qr": mark_safe(qr),  # segno's SVG of our own link
            "expires_on": invitation.expires_on,
            "team": invitation.team,
        },
    )
