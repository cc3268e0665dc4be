"""Accessible, server-side SVG for XmR charts, p-charts, funnel plots and the Making Data Count icons.

No JavaScript and nothing fetched: each function returns one self-contained
<svg role="img"> labelled by its own <title> and <desc>, so a screen reader
announces what the chart shows, and every point carries its own <title> for
people who hover. Colours are NHSRplotthedots' defaults (ptd_spc_colours,
after Making Data Count): orange concern, blue improvement, purple neutral,
grey common cause; each dot is outlined in dark grey so that even the pale
colours keep 3:1 contrast against white.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from wraparound.metrics import svg
from wraparound.metrics.funnel import FunnelKind, FunnelPlot, FunnelUnit
from wraparound.metrics.pchart import PChart
from wraparound.metrics.spc import Assurance, Improvement, PointType, XmRChart, XmRPoint

NumberFormat = Callable[[float], str]

POINT_COLOURS = {
    PointType.COMMON_CAUSE: "#a6a6a6",
    PointType.IMPROVEMENT: "#00b0f0",
    PointType.CONCERN: "#e46c0a",
    PointType.NEUTRAL_HIGH: "#490092",
    PointType.NEUTRAL_LOW: "#490092",
}
OUTLINE = "#425563"
MEAN_COLOUR = "#000000"
LIMIT_COLOUR = "#768692"
TARGET_COLOUR = "#de1b1b"
TEXT_COLOUR = "#212b32"
FONT = "Frutiger W01, Arial, sans-serif"

POINT_TYPE_WORDS = {
    PointType.COMMON_CAUSE: "common cause variation",
    PointType.IMPROVEMENT: "special cause variation: improvement",
    PointType.CONCERN: "special cause variation: concern",
    PointType.NEUTRAL_HIGH: "special cause variation: higher than expected",
    PointType.NEUTRAL_LOW: "special cause variation: lower than expected",
}

_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 64.0, 40.0, 16.0, 48.0


def xmr_chart_svg(
    chart: XmRChart,
    *,
    title: str,
    description: str | None = None,
    element_id: str = "xmr-chart",
    width: int = 720,
    height: int = 360,
    number_format: NumberFormat = svg.format_number,
    y_label: str | None = None,
) -> str:
    """An XmR chart: values, mean, process limits per segment, optional target line."""
    svg.checked_id(element_id, "element_id")
    values = [point.value for point in chart.points]
    extent = values + [bound for s in chart.segments for bound in (s.lower_limit, s.upper_limit)]
    if chart.target is not None:
        extent.append(chart.target)
    y = svg.Scale(*svg.padded_range(extent), height - _MARGIN_BOTTOM, _MARGIN_TOP)
    step = (width - _MARGIN_LEFT - _MARGIN_RIGHT) / max(len(values) - 1, 1)

    def x(index: float) -> float:
        return _MARGIN_LEFT + index * step

    body = _y_axis(y, width, number_format) + _x_labels([p.label for p in chart.points], x, height)
    body += _axis_titles(width, height, None, y_label)
    for segment in chart.segments:
        left, right = x(segment.start), x(segment.stop - 1)
        body += _hline(left, right, y(segment.mean), MEAN_COLOUR, "mean")
        body += _hline(left, right, y(segment.upper_limit), LIMIT_COLOUR, "upper-limit", "6 4")
        body += _hline(left, right, y(segment.lower_limit), LIMIT_COLOUR, "lower-limit", "6 4")
    if chart.target is not None:
        body += _hline(x(0), x(len(values) - 1), y(chart.target), TARGET_COLOUR, "target", "2 3")
    body += svg.element(
        "path",
        d=svg.path([(x(i), y(v)) for i, v in enumerate(values)]),
        fill="none",
        stroke=POINT_COLOURS[PointType.COMMON_CAUSE],
        stroke_width=1.5,
        class_="values",
    )
    body += svg.element(
        "g",
        "".join(
            _xmr_dot(point, x(i), y(point.value), number_format)
            for i, point in enumerate(chart.points)
        ),
        class_="points",
    )
    return svg.document(
        body,
        element_id=element_id,
        title=title,
        description=description or describe_xmr_chart(chart, number_format),
        width=width,
        height=height,
    )


def describe_p_chart(chart: PChart, what: str) -> str:
    points = chart.points
    special = [p.label for p in points if p.outside or p.in_run]
    words = (
        f"{what} by month, {points[0].label} to {points[-1].label}: "
        f"{len(points)} months, {chart.centre:.1f}% over them all. "
    )
    if special:
        return words + "Special cause variation in " + ", ".join(special) + "."
    return words + "Every month lies within its limits: common cause variation only."


def p_chart_svg(
    chart: PChart,
    *,
    title: str,
    what: str,
    element_id: str = "p-chart",
    width: int = 720,
    height: int = 320,
) -> str:
    """A p-chart: each period's %, the centre line, and limits that step with each count."""
    svg.checked_id(element_id, "element_id")
    points = chart.points
    extent = [v for p in points for v in (p.percent, p.lower, p.upper)] + [chart.centre]
    y = svg.Scale(*svg.padded_range(extent), height - _MARGIN_BOTTOM, _MARGIN_TOP)
    step = (width - _MARGIN_LEFT - _MARGIN_RIGHT) / max(len(points) - 1, 1)

    def x(index: float) -> float:
        return _MARGIN_LEFT + index * step

    def percent(value: float) -> str:
        return f"{value:.0f}%"

    body = _y_axis(y, width, percent) + _x_labels([p.label for p in points], x, height)
    body += _hline(x(0), x(len(points) - 1), y(chart.centre), MEAN_COLOUR, "mean")
    for name, bound in (("upper-limit", "upper"), ("lower-limit", "lower")):
        steps = []
        for i, point in enumerate(points):
            level = y(getattr(point, bound))
            steps += [(x(max(i - 0.5, 0)), level), (x(min(i + 0.5, len(points) - 1)), level)]
        body += svg.element(
            "path",
            d=svg.path(steps),
            fill="none",
            stroke=LIMIT_COLOUR,
            stroke_width=1.5,
            stroke_dasharray="6 4",
            class_=name,
        )
    body += svg.element(
        "path",
        d=svg.path([(x(i), y(p.percent)) for i, p in enumerate(points)]),
        fill="none",
        stroke=POINT_COLOURS[PointType.COMMON_CAUSE],
        stroke_width=1.5,
        class_="values",
    )
    dots = []
    for i, point in enumerate(points):
        special = point.outside or point.in_run
        kind = PointType.NEUTRAL_HIGH if special else PointType.COMMON_CAUSE
        words = POINT_TYPE_WORDS[kind] if special else "common cause variation"
        dots.append(
            svg.element(
                "circle",
                svg.element(
                    "title",
                    svg.text(
                        f"{point.label}: {point.percent:.1f}% of {point.count} "
                        f"(limits {point.lower:.1f}% to {point.upper:.1f}%), {words}"
                    ),
                ),
                cx=x(i),
                cy=y(point.percent),
                r=5.0 if special else 4.0,
                fill=POINT_COLOURS[kind],
                stroke=OUTLINE,
                stroke_width=1,
                class_=kind.value,
            )
        )
    body += svg.element("g", "".join(dots), class_="points")
    return svg.document(
        body,
        element_id=element_id,
        title=title,
        description=describe_p_chart(chart, what),
        width=width,
        height=height,
    )


def funnel_plot_svg(
    plot: FunnelPlot,
    *,
    title: str,
    description: str | None = None,
    element_id: str = "funnel-plot",
    width: int = 720,
    height: int = 400,
    number_format: NumberFormat = svg.format_number,
    curve_points: int = 80,
    x_label: str | None = None,
    y_label: str | None = None,
) -> str:
    """A funnel plot: units, centre line, 95% (dashed) and 99.8% (solid) limits."""
    svg.checked_id(element_id, "element_id")
    sizes = [unit.denominator for unit in plot.units]
    low_size, high_size = min(sizes) * 0.8, max(sizes) * 1.05
    curve = [plot.limits_at(size) for size in _geometric(low_size, high_size, curve_points)]
    extent = [unit.value for unit in plot.units] + [plot.centre]
    extent += [limit for c in curve for limit in (c.lower_998, c.upper_998)]
    y = svg.Scale(*svg.padded_range(extent), height - _MARGIN_BOTTOM, _MARGIN_TOP)
    x = svg.Scale(0.0, high_size, _MARGIN_LEFT, width - _MARGIN_RIGHT)

    body = _y_axis(y, width, number_format) + _x_axis(x, height, number_format)
    body += _axis_titles(width, height, x_label or _SIZE_WORDS[plot.kind].capitalize(), y_label)
    body += _hline(x(0), x(high_size), y(plot.centre), MEAN_COLOUR, "centre")
    lines = {
        "lower-95": [c.lower_95 for c in curve],
        "upper-95": [c.upper_95 for c in curve],
        "lower-99.8": [c.lower_998 for c in curve],
        "upper-99.8": [c.upper_998 for c in curve],
    }
    for name, limits in lines.items():
        body += svg.element(
            "path",
            d=svg.path(
                [(x(c.denominator), y(limit)) for c, limit in zip(curve, limits, strict=True)]
            ),
            fill="none",
            stroke=LIMIT_COLOUR,
            stroke_width=1.5,
            # The 95% curves are dashed, the 99.8% solid, as FunnelPlotR draws them.
            stroke_dasharray="6 4" if name.endswith("95") else None,
            class_=name,
        )
    body += svg.element(
        "g",
        "".join(_funnel_dot(unit, plot.kind, x, y, number_format) for unit in plot.units),
        class_="units",
    )
    return svg.document(
        body,
        element_id=element_id,
        title=title,
        description=description or describe_funnel_plot(plot, number_format),
        width=width,
        height=height,
    )


def variation_icon_svg(
    chart: XmRChart, *, element_id: str = "variation-icon", size: int = 48
) -> str:
    """The variation icon: the latest point's type, as a coloured disc with H or L."""
    svg.checked_id(element_id, "element_id")
    kind = chart.variation
    letter = _high_or_low(kind, chart.improvement)
    return _icon(
        element_id=element_id,
        size=size,
        colour=POINT_COLOURS[kind],
        letter=letter,
        title="Variation: " + POINT_TYPE_WORDS[kind],
        description=variation_text(chart),
    )


def assurance_icon_svg(
    chart: XmRChart, *, element_id: str = "assurance-icon", size: int = 48
) -> str | None:
    """The assurance icon (P, F or ?), or None when there is no target or direction."""
    svg.checked_id(element_id, "element_id")
    state = chart.assurance
    if state is None:
        return None
    colour, letter = {
        Assurance.CONSISTENTLY_PASSES: (POINT_COLOURS[PointType.IMPROVEMENT], "P"),
        Assurance.CONSISTENTLY_FAILS: (POINT_COLOURS[PointType.CONCERN], "F"),
        Assurance.HIT_AND_MISS: (POINT_COLOURS[PointType.COMMON_CAUSE], "?"),
    }[state]
    return _icon(
        element_id=element_id,
        size=size,
        colour=colour,
        letter=letter,
        title="Assurance: " + _ASSURANCE_WORDS[state],
        description=assurance_text(chart) or "",
    )


def variation_text(chart: XmRChart) -> str:
    """The variation icon in words, for a text alternative or a table."""
    kind = chart.variation
    direction = _direction_words(chart.improvement)
    return f"The latest point shows {POINT_TYPE_WORDS[kind]}{direction}."


def assurance_text(chart: XmRChart) -> str | None:
    """The assurance icon in words, or None when there is no assurance to give."""
    state = chart.assurance
    if state is None or chart.target is None:
        return None
    return f"The process {_ASSURANCE_WORDS[state]} of {svg.format_number(chart.target)}."


def describe_xmr_chart(chart: XmRChart, number_format: NumberFormat = svg.format_number) -> str:
    """A plain-words summary of an XmR chart for its <desc>."""
    points = chart.points
    parts = [f"XmR chart of {len(points)} points from {points[0].label} to {points[-1].label}."]
    for segment in chart.segments:
        trial = " (trial limits)" if segment.trial_limits else ""
        parts.append(
            f"Points {points[segment.start].label} to {points[segment.stop - 1].label}: "
            f"mean {number_format(segment.mean)}, process limits "
            f"{number_format(segment.lower_limit)} to {number_format(segment.upper_limit)}{trial}."
        )
    special = [point for point in points if point.special_cause is not None]
    parts.append(f"{len(special)} of {len(points)} points show special cause variation.")
    if chart.target is not None:
        parts.append(f"Target {number_format(chart.target)}.")
    parts.append(variation_text(chart))
    assurance = assurance_text(chart)
    if assurance:
        parts.append(assurance)
    return " ".join(parts)


def describe_funnel_plot(plot: FunnelPlot, number_format: NumberFormat = svg.format_number) -> str:
    """A plain-words summary of a funnel plot for its <desc>."""
    units = plot.units
    parts = [
        f"Funnel plot of {len(units)} units, {plot.kind.value}s, around "
        f"{number_format(plot.centre)}, with 95% and 99.8% limits."
    ]
    for side in ("high", "low"):
        beyond_998 = [u.label for u in units if u.outside_998 and u.outside_998.value == side]
        beyond_95 = [
            u.label
            for u in units
            if u.outside_95 and u.outside_95.value == side and not u.outside_998
        ]
        word = "above" if side == "high" else "below"
        if beyond_998:
            parts.append(f"{word.capitalize()} the 99.8% limit: {', '.join(beyond_998)}.")
        if beyond_95:
            parts.append(f"{word.capitalize()} the 95% limit only: {', '.join(beyond_95)}.")
    if not any(u.outside_95 for u in units):
        parts.append("All units lie within the 95% limits.")
    if plot.dispersion is not None and plot.dispersion.tau2 > 0:
        parts.append("Limits are widened for over-dispersion.")
    return " ".join(parts)


_SIZE_WORDS = {
    FunnelKind.PROPORTION: "denominator",
    FunnelKind.RATIO: "expected",
    FunnelKind.RATE: "exposure",
}

_ASSURANCE_WORDS = {
    Assurance.CONSISTENTLY_PASSES: "will consistently pass the target",
    Assurance.CONSISTENTLY_FAILS: "will consistently fail the target",
    Assurance.HIT_AND_MISS: "will hit and miss the target",
}


def _direction_words(improvement: Improvement) -> str:
    if improvement is Improvement.INCREASE:
        return " (higher is better)"
    if improvement is Improvement.DECREASE:
        return " (lower is better)"
    return ""


def _high_or_low(kind: PointType, improvement: Improvement) -> str:
    if kind is PointType.NEUTRAL_HIGH:
        return "H"
    if kind is PointType.NEUTRAL_LOW:
        return "L"
    if kind is PointType.COMMON_CAUSE:
        return "~"
    higher_is_better = improvement is Improvement.INCREASE
    return "H" if (kind is PointType.IMPROVEMENT) == higher_is_better else "L"


def _icon(
    *, element_id: str, size: int, colour: str, letter: str, title: str, description: str
) -> str:
    body = svg.element("circle", cx=50, cy=50, r=46, fill="#ffffff", stroke=colour, stroke_width=8)
    body += svg.element(
        "text",
        svg.text(letter),
        x=50,
        y=50,
        fill=colour,
        font_family=FONT,
        font_size=48,
        font_weight="bold",
        text_anchor="middle",
        dominant_baseline="central",
    )
    # The icon is drawn on a 100 x 100 grid and shown at the requested size.
    return svg.document(
        body,
        element_id=element_id,
        title=title,
        description=description,
        width=100,
        height=100,
        shown_at=(size, size),
    )


def _xmr_dot(point: XmRPoint, cx: float, cy: float, number_format: NumberFormat) -> str:
    words = POINT_TYPE_WORDS[point.point_type]
    cause = f" ({point.special_cause.value})" if point.special_cause else ""
    special = point.point_type is not PointType.COMMON_CAUSE
    return svg.element(
        "circle",
        svg.element(
            "title", svg.text(f"{point.label}: {number_format(point.value)}, {words}{cause}")
        ),
        cx=cx,
        cy=cy,
        r=5.0 if special else 4.0,
        fill=POINT_COLOURS[point.point_type],
        stroke=OUTLINE,
        stroke_width=1,
        class_=point.point_type.value,
    )


def _funnel_dot(
    unit: FunnelUnit, kind: FunnelKind, x: svg.Scale, y: svg.Scale, number_format: NumberFormat
) -> str:
    if unit.outside_998:
        fill, where = (
            POINT_COLOURS[PointType.NEUTRAL_HIGH],
            f"{unit.outside_998.value}, beyond 99.8%",
        )
    elif unit.outside_95:
        fill, where = "#ffffff", f"{unit.outside_95.value}, beyond 95%"
    else:
        fill, where = POINT_COLOURS[PointType.COMMON_CAUSE], "within the limits"
    size_word = _SIZE_WORDS[kind]
    label = (
        f"{unit.label}: {number_format(unit.value)} "
        f"({size_word} {number_format(unit.denominator)}), {where}"
    )
    return svg.element(
        "circle",
        svg.element("title", svg.text(label)),
        cx=x(unit.denominator),
        cy=y(unit.value),
        r=4.5,
        fill=fill,
        stroke=POINT_COLOURS[PointType.NEUTRAL_HIGH] if unit.outside_95 else OUTLINE,
        stroke_width=1.5,
    )


def _hline(
    left: float, right: float, at: float, colour: str, name: str, dash: str | None = None
) -> str:
    return svg.element(
        "line",
        x1=left,
        x2=right,
        y1=at,
        y2=at,
        stroke=colour,
        stroke_width=1.5,
        stroke_dasharray=dash,
        class_=name,
    )


def _y_axis(y: svg.Scale, width: int, number_format: NumberFormat) -> str:
    parts = []
    for tick in svg.nice_ticks(y.low, y.high):
        parts.append(
            svg.element(
                "line",
                x1=_MARGIN_LEFT,
                x2=width - _MARGIN_RIGHT,
                y1=y(tick),
                y2=y(tick),
                stroke="#e8edee",
            )
            + _label(number_format(tick), _MARGIN_LEFT - 8, y(tick), "end")
        )
    return svg.element("g", "".join(parts), class_="y-axis", aria_hidden="true")


def _axis_titles(width: int, height: int, x_label: str | None, y_label: str | None) -> str:
    parts = []
    if x_label:
        middle = (_MARGIN_LEFT + width - _MARGIN_RIGHT) / 2
        parts.append(_label(x_label, middle, height - 8, "middle"))
    if y_label:
        middle = (_MARGIN_TOP + height - _MARGIN_BOTTOM) / 2
        parts.append(
            svg.element(
                "g",
                _label(y_label, 0, 0, "middle"),
                transform=f"translate(14 {middle}) rotate(-90)",
            )
        )
    return (
        svg.element("g", "".join(parts), class_="axis-titles", aria_hidden="true") if parts else ""
    )


def _x_axis(x: svg.Scale, height: int, number_format: NumberFormat) -> str:
    parts = [
        _label(number_format(tick), x(tick), height - _MARGIN_BOTTOM + 20, "middle")
        for tick in svg.nice_ticks(x.low, x.high)
    ]
    return svg.element("g", "".join(parts), class_="x-axis", aria_hidden="true")


def _x_labels(labels: list[str], x: Callable[[float], float], height: int) -> str:
    every = max(1, math.ceil(len(labels) / 8))
    parts = [
        _label(label, x(index), height - _MARGIN_BOTTOM + 20, "middle")
        for index, label in enumerate(labels)
        if index % every == 0
    ]
    return svg.element("g", "".join(parts), class_="x-axis", aria_hidden="true")


def _label(words: str, x: float, y: float, anchor: str) -> str:
    return svg.element(
        "text",
        svg.text(words),
        x=x,
        y=y,
        fill=TEXT_COLOUR,
        font_family=FONT,
        font_size=12,
        text_anchor=anchor,
        dominant_baseline="middle",
    )


def _geometric(low: float, high: float, count: int) -> list[float]:
    """Sizes spaced evenly on a log scale, where funnels change fastest at the small end."""
    ratio = (high / low) ** (1 / max(count - 1, 1))
    return [low * ratio**index for index in range(count)]
