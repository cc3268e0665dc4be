"""The capacity board of a place, and its monthly virtual-ward return."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.organisations.models import Place

from .charts import crews_chart_svg, reachable_curve_svg
from .live import TARGET_WITHIN, next_24_hours, reachable_curve, wards_now
from .models import WardKind
from .returns import COLUMNS, monthly_return


def _place(request: HttpRequest) -> Place:
    staff = staff_of(request.user)
    if staff is None or not has_permission(request.user, Permission.VIEW_CAPACITY):
        raise PermissionDenied("Your role does not read the capacity board")
    return staff.organisation.place


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The next 24 hours of crews against demand, and each ward's census against its reach."""
    place = _place(request)
    now = timezone.now()
    hours = next_24_hours(place, now)
    wards = wards_now(place, now)
    curves = []
    for shown in wards:
        if shown.ward.kind != WardKind.VIRTUAL_WARD:
            continue
        largest = max(40, 2 * shown.places)
        curve = reachable_curve(shown.ward.turn_away_percent / 100, largest)
        # The SVG escapes every text it writes (metrics.svg), so it is safe to show as is.
        picture = reachable_curve_svg(
            curve,
            places=shown.places,
            occupancy=shown.occupancy,
            turn_away_percent=shown.ward.turn_away_percent,
            element_id=f"ward-{shown.ward.pk}-curve",
        )
        # The table gives every fifth size, and the ward's own.
        table = [(p, o) for p, o in curve if p % 5 == 0 or p == shown.places]
        curves.append((shown, mark_safe(picture), table))
    return render(
        request,
        "capacity/board.html",
        {
            "place": place,
            "hours": hours,
            "short_hours": sum(1 for h in hours if h.short),
            # Escaped as it is written (metrics.svg): safe to show as it is.
            "crews_chart": mark_safe(crews_chart_svg(hours)),
            "wards": wards,
            "curves": curves,
            "target": TARGET_WITHIN,
            "now": now,
        },
    )


def _month(request: HttpRequest) -> tuple[int, int]:
    text = request.GET.get("month", "")
    try:
        day = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        day = timezone.localdate().replace(day=1)
    return day.year, day.month


@login_required
def virtual_ward_return(request: HttpRequest) -> HttpResponse:
    """The month's return as CSV: ?month=YYYY-MM (this month when absent or unreadable)."""
    place = _place(request)
    year, month = _month(request)
    rows = monthly_return(place, year, month)
    audit.record(
        user=request.user,
        action=AuditAction.EXPORT,
        purpose=Purpose.VIRTUAL_WARD_RETURN,
        detail={"place": place.code, "month": f"{year}-{month:02d}", "rows": len(rows)},
    )
    response = HttpResponse(content_type="text/csv")
    name = f"virtual-ward-return-{place.code}-{year}-{month:02d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    return response
