"""Input hardening used on every path in: ids, dates, free text and cells written to CSV.

Each rule answers a way hostile or careless input broke a page: ``"²".isdigit()`` is
true and ``int("²")`` fails; ``date(1, 1, 1)`` parses; a right-to-left override turns
"lamron" into "normal" on screen; a team named ``=HYPERLINK(...)`` becomes a live formula
when a CSV is opened in a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
# Bidirectional controls (embeddings, overrides and isolates, and the implicit marks):
# they reorder what a reader sees without changing what is stored.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Cells a spreadsheet reads as a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

EARLIEST_YEAR = 1880  # nobody alive, nor any record in use, is older
LATEST_YEAR = 2200  # far beyond any plan or export window, and within every database's range


def ascii_id(raw: str) -> int | None:
    """The integer id in ``raw`` when it is only the digits 0-9 (18 at most); else None."""
    return int(raw) if _ASCII_DIGITS.fullmatch(raw or "") else None


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return _BIDI_CONTROLS.sub("", text)


def csv_cell(value: object) -> object:
    """A value safe to write into a CSV cell: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def year_problem(day: dt.date) -> str | None:
    """Why a date is out of the range any record could use, or None when it is fine."""
    if day.year < EARLIEST_YEAR:
        return f"the year {day.year} is before {EARLIEST_YEAR}"
    if day.year > LATEST_YEAR:
        return f"the year {day.year} is after {LATEST_YEAR}"
    return None
