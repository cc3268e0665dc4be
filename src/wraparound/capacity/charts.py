"""The capacity board's two pictures, as accessible SVG (the board gives each a table too):
crews rostered against crews required over the next 24 hours, and the occupancy a ward
can reach at its turn-away target by its size, with "you are here"."""

from __future__ import annotations

from collections.abc import Sequence

from wraparound.metrics import svg

from .live import HourAhead

LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
ROSTERED = "#005eb8"  # NHS blue
REQUIRED = "#d5281b"  # NHS red
CURVE = "#425563"
HERE = "#ffb81c"  # NHS warm yellow, outlined


def _axis(y: svg.Scale, width: int, ticks: Sequence[float], words: str) -> str:
    out = ""
    for tick in ticks:
        out += svg.element(
            "line", x1=LEFT, x2=width - RIGHT, y1=y(tick), y2=y(tick), stroke="#d8dde0"
        )
        out += svg.element(
            "text", svg.text(words.format(tick)), x=LEFT - 6, y=y(tick) + 4, text_anchor="end",
            font_size=12,
        )  # fmt: skip
    return out


def crews_chart_svg(hours: Sequence[HourAhead], *, width: int = 720, height: int = 260) -> str:
    """Bars: crews rostered each hour; the red step line: crews the 2-hour standard needs."""
    top = max([h.required for h in hours] + [h.rostered for h in hours] + [1])
    y = svg.Scale(0, top + 1, height - BOTTOM, TOP)
    slot = (width - LEFT - RIGHT) / len(hours)
    body = _axis(y, width, svg.nice_ticks(0, top + 1, 4), "{:.0f}")
    for i, hour in enumerate(hours):
        x = LEFT + i * slot
        label = f"{hour.starts_at:%H:00}: {hour.rostered} rostered, {hour.required} required"
        body += svg.element(
            "rect",
            svg.element("title", svg.text(label)),
            x=x + 2, y=y(hour.rostered), width=slot - 4, height=y(0) - y(hour.rostered),
            fill=ROSTERED, class_="rostered",
        )  # fmt: skip
        if i % 3 == 0:
            body += svg.element(
                "text", svg.text(f"{hour.starts_at:%H:00}"), x=x + slot / 2, y=height - BOTTOM + 16,
                text_anchor="middle", font_size=12,
            )  # fmt: skip
    steps = []
    for i, hour in enumerate(hours):
        steps += [(LEFT + i * slot, y(hour.required)), (LEFT + (i + 1) * slot, y(hour.required))]
    body += svg.element(
        "path", d=svg.path(steps), fill="none", stroke=REQUIRED, stroke_width=2.5,
        class_="required",
    )  # fmt: skip
    short = [h for h in hours if h.short]
    description = (
        f"Over the next 24 hours, {len(short)} hour{'s' if len(short) != 1 else ''} "
        "have fewer crews rostered than the 2-hour standard needs."
        if short
        else "Every one of the next 24 hours has the crews the 2-hour standard needs."
    )
    return svg.document(
        body,
        element_id="crews-chart",
        title="Urgent-response crews rostered (bars) and required (red line), next 24 hours",
        description=description,
        width=width,
        height=height,
    )


def reachable_curve_svg(
    curve: Sequence[tuple[int, float]],
    *,
    places: int,
    occupancy: float,
    turn_away_percent: int,
    element_id: str,
    width: int = 480,
    height: int = 260,
) -> str:
    """The highest occupancy a ward of each size reaches at the turn-away target, and the
    ward now: a dot on the line is as full as its size allows; below it, room to admit."""
    svg.checked_id(element_id, "element_id")
    x = svg.Scale(1, curve[-1][0], LEFT, width - RIGHT)
    y = svg.Scale(0, 1, height - BOTTOM, TOP)
    body = _axis(y, width, [0, 0.25, 0.5, 0.75, 1.0], "{:.0%}")
    for tick in svg.nice_ticks(1, curve[-1][0], 5):
        body += svg.element(
            "text", svg.text(f"{tick:.0f}"), x=x(tick), y=height - BOTTOM + 16,
            text_anchor="middle", font_size=12,
        )  # fmt: skip
    body += svg.element(
        "text", svg.text("places on the ward"), x=(LEFT + width - RIGHT) / 2, y=height - 6,
        text_anchor="middle", font_size=12,
    )  # fmt: skip
    body += svg.element(
        "path", d=svg.path([(x(p), y(o)) for p, o in curve]), fill="none", stroke=CURVE,
        stroke_width=2, class_="reachable",
    )  # fmt: skip
    here = f"You are here: {places} places, {occupancy:.0%} occupied"
    body += svg.element(
        "circle", svg.element("title", svg.text(here)), cx=x(places), cy=y(min(occupancy, 1.0)),
        r=7, fill=HERE, stroke="#212b32", stroke_width=2, class_="you-are-here",
    )  # fmt: skip
    body += svg.element(
        "text", svg.text("you are here"), x=x(places) + 10, y=y(min(occupancy, 1.0)) - 10,
        font_size=12,
    )  # fmt: skip
    reach = dict(curve)[places]
    return svg.document(
        body,
        element_id=element_id,
        title=f"Occupancy a ward can reach turning away {turn_away_percent}% of admissions",
        description=(
            f"A ward of {places} places can run at up to {reach:.0%} occupied while turning "
            f"away no more than {turn_away_percent}%; it is {occupancy:.0%} occupied now."
        ),
        width=width,
        height=height,
    )
