"""NHS number: normalise and check by Modulus 11, saying which check failed.

Multiply digits 1-9 by weights 10..2 and sum; check = 11 - (sum mod 11);
11 means 0, 10 means the number can never be valid; the result must equal
digit 10 (computed by the ``nhs-number`` package). Numbers 9000000000-9999999999 are never issued: synthetic people
use them.
"""

from __future__ import annotations

import random
import re

from nhs_number.validate import calculate_checksum

_SEPARATORS = re.compile(r"[\s\-]")
# str.isdigit() is true of "²" and "٣", which int() then refuses or misreads: only 0-9 count.
_ASCII_DIGITS = re.compile(r"[0-9]+")
SYNTHETIC_RANGE = (9_000_000_000, 9_999_999_999)


class InvalidNHSNumber(ValueError):
    """An NHS number that fails a check; the message says which and why."""


def normalise(raw: str) -> str:
    """Strip the spaces and dashes people type (``943 476 5919``, ``943-476-5919``)."""
    return _SEPARATORS.sub("", raw or "")


def is_ascii_digits(value: str) -> bool:
    """True when ``value`` is one or more of the digits 0-9 and nothing else."""
    return _ASCII_DIGITS.fullmatch(value) is not None


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None where it would be 10 (never issued).

    The arithmetic is the maintained ``nhs-number`` package's; this module keeps the messages
    that say which check failed and why, which the package does not give.
    """
    digit = calculate_checksum(first_nine)
    return None if digit == 10 else digit


def validate(raw: str) -> str:
    """Return the normalised number, or raise InvalidNHSNumber saying why."""
    number = normalise(raw)
    if not number:
        raise InvalidNHSNumber("NHS number is required")
    if not is_ascii_digits(number):
        raise InvalidNHSNumber("NHS number must contain only digits (0-9), spaces or dashes")
    if len(number) != 10:
        raise InvalidNHSNumber(f"NHS number must have 10 digits, not {len(number)}")
    expected = check_digit(number[:9])
    if expected is None:
        raise InvalidNHSNumber(
            "NHS number is not valid: its check digit works out as 10, which is never issued"
        )
    if int(number[9]) != expected:
        raise InvalidNHSNumber(
            f"NHS number is not valid: the check digit is {number[9]} but should be {expected}"
        )
    return number


def is_valid(raw: str) -> bool:
    """True when ``raw`` is a valid NHS number."""
    try:
        validate(raw)
    except InvalidNHSNumber:
        return False
    return True


def synthetic(rng: random.Random) -> str:
    """A valid NHS number from the never-issued 999 range, drawn from ``rng``."""
    while True:
        first_nine = f"999{rng.randrange(0, 1_000_000):06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"


def formatted(number: str) -> str:
    """The 3-3-4 form people read: ``999 123 4560``."""
    n = normalise(number)
    return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else n
