"""The system leader's pages: the dashboard, a metric's page, and persistent difficulty.

Aggregates only: no person's data is read here, so no record access is audited.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from wraparound.access.permissions import has_permission
from wraparound.access.roles import Permission
from wraparound.inputs import csv_cell

from . import charts
from .compute import Value, compute
from .difficulty import funnel_for, persistent_difficulty
from .models import ReportingUnit
from .registry import BY_CODE, METRICS, Metric, Shape
from .spc import xmr_chart

UNIT_KINDS = [k for k in ReportingUnit.Kind.values]


def _require(request: HttpRequest) -> None:
    if not has_permission(request.user, Permission.VIEW_METRICS):
        raise PermissionDenied("Your role does not see the system's metrics")


def _series(values: list[Value], unit: str) -> list[Value]:
    return sorted(
        (v for v in values if v.unit == unit and v.value is not None), key=lambda v: v.period
    )


MIN_POINTS_FOR_ICONS = 12


def _spc(
    metric: Metric, series: list[Value], element_id: str, title: str, small: bool = False
) -> dict[str, Any]:
    chart = xmr_chart(
        [v.value for v in series],
        [f"{v.period:%b %y}" for v in series],  # type: ignore[misc]
        improvement=metric.improvement,
        target=metric.target,
    )
    size = {"width": 360, "height": 200} if small else {}
    if len(series) < MIN_POINTS_FOR_ICONS:
        # Two or three points say nothing about variation: Making Data Count asks for a
        # baseline of at least 12 before a chart's icons are read.
        few = (
            f"Too few points ({len(series)}) for a variation or assurance icon: "
            f"at least {MIN_POINTS_FOR_ICONS} are needed"
        )
        return {
            "svg": mark_safe(
                charts.xmr_chart_svg(
                    chart, title=title, element_id=element_id, y_label=metric.unit, **size
                )
            ),
            "variation": "",
            "assurance": "",
            "variation_text": few,
            "assurance_text": "",
            "series": series,
            "chart": chart,
        }
    return {
        "svg": mark_safe(
            charts.xmr_chart_svg(
                chart, title=title, element_id=element_id, y_label=metric.unit, **size
            )
        ),
        "variation": mark_safe(
            charts.variation_icon_svg(chart, element_id=f"{element_id}-v", size=36)
        ),
        "assurance": mark_safe(
            charts.assurance_icon_svg(chart, element_id=f"{element_id}-a", size=36) or ""
        ),
        "variation_text": charts.variation_text(chart),
        "assurance_text": charts.assurance_text(chart),
        "series": series,
        "chart": chart,
    }


def _names(kind: str) -> dict[str, str]:
    return dict(ReportingUnit.objects.filter(kind=kind).values_list("code", "name"))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request)
    own = list(ReportingUnit.objects.filter(kind="team", is_own_place=True).order_by("name"))
    rows = []
    for metric in METRICS:
        values = compute(metric, "team", "month")
        cells = []
        for unit in own:
            series = _series(values, unit.code)
            if len(series) >= 2:
                cells.append(
                    (
                        unit,
                        _spc(
                            metric,
                            series,
                            f"{metric.code}-{unit.code}",
                            f"{metric.name}: {unit.name}",
                            small=True,
                        ),
                    )
                )
            else:
                cells.append((unit, None))
        rows.append((metric, cells))
    return render(request, "metrics/dashboard.html", {"rows": rows, "teams": own})


def _unit_kind(request: HttpRequest) -> str:
    kind = request.GET.get("unit", "team")
    if kind not in UNIT_KINDS:
        raise Http404("No such kind of unit")
    return kind


@login_required
def metric_page(request: HttpRequest, code: str) -> HttpResponse:
    _require(request)
    metric = BY_CODE.get(code)
    if metric is None:
        raise Http404("No such metric")
    kind = _unit_kind(request)
    values = compute(metric, kind, "month")
    names = _names(kind)
    by_period: dict[Any, list[Value]] = defaultdict(list)
    for v in values:
        by_period[v.period].append(v)
    periods = sorted(by_period)
    latest_full = periods[-2] if len(periods) >= 2 else (periods[-1] if periods else None)
    funnel = None
    funnel_rows: list[Any] = []
    if latest_full is not None and metric.has_funnel:
        plot = funnel_for(metric, by_period[latest_full])
        if plot is not None:
            funnel = mark_safe(
                charts.funnel_plot_svg(
                    plot,
                    title=f"{metric.name}, {latest_full:%B %Y}, by {kind}",
                    element_id="funnel",
                    y_label="proportion (1 = 100%)"
                    if metric.shape == Shape.PROPORTION
                    else "rate per unit of exposure",
                    x_label=metric.denominator,
                )
            )
            funnel_rows = [(names.get(u.label, u.label), u) for u in plot.units]
    flags = persistent_difficulty(metric, kind) if kind in {"team", "provider"} else []
    flagged = {f.unit for f in flags}
    shown_units = sorted(
        {
            v.unit
            for v in values
            if kind != "team"
            or v.unit in flagged
            or ReportingUnit.objects.filter(kind=kind, code=v.unit, is_own_place=True).exists()
        }
    )
    spcs = []
    for unit in shown_units:
        series = _series(values, unit)
        if len(series) >= 2:
            spcs.append(
                (
                    names.get(unit, unit),
                    unit in flagged,
                    _spc(metric, series, f"spc-{unit}", f"{metric.name}: {names.get(unit, unit)}"),
                )
            )
    return render(
        request,
        "metrics/metric.html",
        {
            "metric": metric,
            "kind": kind,
            "kinds": UNIT_KINDS,
            "funnel": funnel,
            "funnel_rows": funnel_rows,
            "latest": latest_full,
            "spcs": spcs,
            "flags": flags,
            "names": names,
            "scale": 100.0 if metric.shape == Shape.PROPORTION else metric.multiplier,
            "weekly": "week" in metric.periods,
        },
    )


@login_required
def metric_csv(request: HttpRequest, code: str) -> HttpResponse:
    _require(request)
    metric = BY_CODE.get(code)
    if metric is None:
        raise Http404("No such metric")
    kind = _unit_kind(request)
    period = request.GET.get("period", "month")
    if period not in {"month", "week"} or period not in metric.periods:
        raise Http404("No such period for this metric")
    names = _names(kind)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "metric",
            "unit_kind",
            "unit_code",
            "unit_name",
            period,
            "numerator",
            "denominator",
            "value",
            "unit_of_measure",
        ]
    )
    for v in compute(metric, kind, period):
        writer.writerow(
            csv_cell(cell)
            for cell in [
                metric.code,
                kind,
                v.unit,
                names.get(v.unit, v.unit),
                v.period.isoformat(),
                v.numerator,
                v.denominator,
                "" if v.value is None else round(v.value, 4),
                metric.unit,
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{metric.code}-{kind}-{period}.csv"'
    return response


@login_required
def difficulty(request: HttpRequest) -> HttpResponse:
    _require(request)
    kind = request.GET.get("unit", "team")
    if kind not in {"team", "provider"}:
        raise Http404("Persistent difficulty is shown for teams and providers")
    names = _names(kind)
    flags = [f for metric in METRICS for f in persistent_difficulty(metric, kind)]
    return render(
        request, "metrics/difficulty.html", {"flags": flags, "names": names, "kind": kind}
    )
