"""The plan as pictures drawn here, as SVG: a map of routes (no tiles, nothing fetched) and a
timeline per member of staff. Presentation attributes only, so the strict CSP holds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Colour-blind-safe palette (Okabe-Ito), one colour per member of staff.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class Stop:
    label: str
    lat: float
    lon: float
    start_minute: float
    duration: int
    late: bool
    pinned: bool


@dataclass(frozen=True)
class StaffRoute:
    name: str
    stops: tuple[Stop, ...]
    shift: tuple[int, int]


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def route_map(
    base: tuple[float, float],
    routes: list[StaffRoute],
    unserved: list[Stop],
    *,
    width: int = 640,
    height: int = 480,
    title: str = "Map of the day's routes",
) -> str:
    points = (
        [base]
        + [(s.lat, s.lon) for r in routes for s in r.stops]
        + [(s.lat, s.lon) for s in unserved]
    )
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad = 24
    mid_lat = math.radians(sum(lats) / len(lats))
    span_x = max((max(lons) - min(lons)) * math.cos(mid_lat), 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (
            pad + (lon - min(lons)) * math.cos(mid_lat) * scale,
            height - pad - (lat - min(lats)) * scale,
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="map-title map-desc" class="wa-map" data-testid="route-map">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{len(routes)} routes from the team base; {sum(len(r.stops) for r in routes)} visits, '
        f"{len(unserved)} left until tomorrow. Each route in its own colour.</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f0f4f5"/>',
    ]
    bx, by = xy(*base)
    for i, r in enumerate(routes):
        path = [(bx, by)] + [xy(s.lat, s.lon) for s in r.stops] + [(bx, by)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in path)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour(i)}" stroke-width="2" opacity="0.8">'
            f"<title>{escape(r.name)}</title></polyline>"
        )
        for n, s in enumerate(r.stops, 1):
            x, y = xy(s.lat, s.lon)
            ring = (
                ' stroke="#d5281b" stroke-width="3"'
                if s.late
                else ' stroke="#fff" stroke-width="1"'
            )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour(i)}"{ring}>'
                f"<title>{escape(f'{r.name}, stop {n}: {s.label} at {_clock(s.start_minute)}')}</title></circle>"
            )
    for s in unserved:
        x, y = xy(s.lat, s.lon)
        parts.append(
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#768692">'
            f"<title>{escape(f'Left until tomorrow: {s.label}')}</title></rect>"
        )
    parts.append(
        f'<rect x="{bx - 7:.1f}" y="{by - 7:.1f}" width="14" height="14" fill="#212b32"><title>Team base</title></rect>'
    )
    parts.append("</svg>")
    return "".join(parts)


def timeline(
    routes: list[StaffRoute], *, width: int = 900, row: int = 34, title: str = "Timeline of the day"
) -> str:
    if not routes:
        return ""
    first = min(r.shift[0] for r in routes)
    last = max(r.shift[1] for r in routes)
    first, last = (first // 60) * 60, -(-last // 60) * 60
    label_w, pad = 170, 10
    height = row * len(routes) + 40
    per_minute = (width - label_w - pad) / max(last - first, 60)

    def x(minute: float) -> float:
        return label_w + (minute - first) * per_minute

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="tl-title tl-desc" class="wa-timeline" data-testid="timeline">',
        f'<title id="tl-title">{escape(title)}</title>',
        '<desc id="tl-desc">One row per member of staff: the shift in grey, each visit as a coloured bar '
        "at its planned start, late visits outlined in red, pinned visits marked with a pin.</desc>",
    ]
    for hour in range(first, last + 1, 60):
        parts.append(
            f'<line x1="{x(hour):.1f}" y1="20" x2="{x(hour):.1f}" y2="{height - 10}" stroke="#d8dde0"/>'
            f'<text x="{x(hour):.1f}" y="14" font-size="11" text-anchor="middle" fill="#4c6272">{hour // 60:02d}:00</text>'
        )
    for i, r in enumerate(routes):
        top = 24 + i * row
        parts.append(
            f'<text x="4" y="{top + row / 2 + 4:.1f}" font-size="13" fill="#212b32">{escape(r.name)}</text>'
        )
        parts.append(
            f'<rect x="{x(r.shift[0]):.1f}" y="{top + 4}" width="{(r.shift[1] - r.shift[0]) * per_minute:.1f}" '
            f'height="{row - 8}" fill="#e8edee"><title>{escape(f"Shift {_clock(r.shift[0])} to {_clock(r.shift[1])}")}</title></rect>'
        )
        for s in r.stops:
            outline = ' stroke="#d5281b" stroke-width="2"' if s.late else ""
            text = (
                f"{s.label}: {_clock(s.start_minute)} for {s.duration} min"
                + (" (late)" if s.late else "")
                + (" (pinned)" if s.pinned else "")
            )
            parts.append(
                f'<rect x="{x(s.start_minute):.1f}" y="{top + 7}" width="{max(s.duration * per_minute, 3):.1f}" '
                f'height="{row - 14}" fill="{colour(i)}"{outline} data-visit={quoteattr(s.label)}><title>{escape(text)}</title></rect>'
            )
            if s.pinned:
                parts.append(
                    f'<text x="{x(s.start_minute):.1f}" y="{top + 6}" font-size="11">📌</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _clock(minute: float) -> str:
    m = round(minute)
    return f"{m // 60:02d}:{m % 60:02d}"
