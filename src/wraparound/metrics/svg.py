"""Just enough SVG writing for the metrics charts: escaped elements, scales and ticks.

Strings are built by hand (no dependency) and every piece of text or attribute
passes through the standard library's XML escaping, so labels typed by users
cannot break out of the markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

Attribute = str | float | int | None


def element(tag: str, content: str = "", /, **attributes: Attribute) -> str:
    """One element; attributes named with underscores become hyphens; None drops one."""
    rendered = "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(_attribute(value))}"
        for name, value in attributes.items()
        if value is not None
    )
    if not content:
        return f"<{tag}{rendered}/>"
    return f"<{tag}{rendered}>{content}</{tag}>"


def text(value: str) -> str:
    """Character data, escaped."""
    return escape(value)


def checked_id(value: str, field: str) -> str:
    """An element id safe to put in id and aria-labelledby attributes."""
    if not _ID.fullmatch(value):
        raise ValueError(f"{field}: must start with a letter and hold only letters, digits, - or _")
    return value


def document(
    body: str,
    *,
    element_id: str,
    title: str,
    description: str,
    width: float,
    height: float,
    shown_at: tuple[float, float] | None = None,
) -> str:
    """An accessible standalone SVG: role=img, labelled by its own <title> and <desc>.

    The drawing uses a width x height grid; `shown_at` displays it at another size.
    """
    shown_width, shown_height = shown_at or (width, height)
    title_id = f"{element_id}-title"
    desc_id = f"{element_id}-desc"
    return element(
        "svg",
        element("title", text(title), id=title_id)
        + element("desc", text(description), id=desc_id)
        + body,
        xmlns=SVG_NAMESPACE,
        id=element_id,
        viewBox=f"0 0 {_number(width)} {_number(height)}",
        width=shown_width,
        height=shown_height,
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
    )


def path(points: Sequence[tuple[float, float]]) -> str:
    """Path data through the points, in order."""
    return " ".join(
        f"{'M' if index == 0 else 'L'}{_number(x)},{_number(y)}"
        for index, (x, y) in enumerate(points)
    )


@dataclass(frozen=True, slots=True)
class Scale:
    """A linear map from data values to pixels."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        if span == 0:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / span * (self.end - self.start)


def padded_range(values: Sequence[float], share: float = 0.05) -> tuple[float, float]:
    """The range of the values with a margin, never empty."""
    low, high = min(values), max(values)
    margin = (high - low) * share or abs(high) * share or 1.0
    return low - margin, high + margin


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round tick values (1, 2 or 5 x 10^k apart) within [low, high]."""
    raw_step = (high - low) / max(count, 1)
    if raw_step <= 0 or not math.isfinite(raw_step):
        return [low]
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    first = math.ceil(low / step) * step
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 12))
        tick += step
    return ticks


def format_number(value: float) -> str:
    """A short, readable number: thousands separated, a few significant decimals."""
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _attribute(value: str | float | int) -> str:
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
