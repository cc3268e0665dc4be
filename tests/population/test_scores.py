"""The frailty scores and cohort statistics against hand-worked examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from wraparound.frailty import efi, hfrs, rates

ON = dt.date(2026, 12, 1)
LAST_MONTH = dt.date(2026, 11, 1)
# One SNOMED CT code of each of these deficits (data/efi_codes.csv).
ARTHRITIS, AF, DIABETES, HEART_FAILURE, HYPERTENSION, IHD = (
    "3723001",
    "5370000",
    "4855003",
    "10633002",
    "1201005",
    "1755008",
)


def test_the_readmes_hfrs_example_is_ten_point_three_intermediate():
    score = hfrs.hfrs(82, [(LAST_MONTH, "F00.1"), (LAST_MONTH, "W19")], ON)
    assert score is not None
    assert (score.points, score.band, score.groups) == (
        Decimal("10.3"),
        "intermediate",
        ("F00", "W19"),
    )


def test_an_hfrs_group_counts_once_and_only_within_two_years():
    diagnoses = [(LAST_MONTH, "F05"), (dt.date(2025, 6, 1), "F051"), (dt.date(2024, 11, 30), "W19")]
    score = hfrs.hfrs(80, diagnoses, ON)
    assert score is not None and score.groups == ("F05",) and score.points == Decimal("3.2")


def test_hfrs_is_for_those_75_and_over():
    assert hfrs.hfrs(74, [(LAST_MONTH, "F00")], ON) is None
    assert hfrs.hfrs(75, [(LAST_MONTH, "F00")], ON) is not None


@pytest.mark.parametrize(
    ("codes", "points", "band"),
    [
        (("B96", "F03"), "5.0", "intermediate"),  # 2.9 + 2.1: exactly 5 is intermediate
        (("B96",), "2.9", "low"),
        (("F00", "I69", "Z50", "F03"), "15.0", "intermediate"),  # 7.1 + 3.7 + 2.1 + 2.1
        (("F00", "I69", "Z50", "F03", "B96"), "17.9", "high"),
    ],
)
def test_the_hfrs_bands_at_their_edges(codes, points, band):
    score = hfrs.hfrs(90, [(LAST_MONTH, c) for c in codes], ON)
    assert score is not None and (score.points, score.band) == (Decimal(points), band)


def test_an_efi_of_four_deficits_is_fit_and_five_is_mild():
    four = efi.efi([ARTHRITIS, AF, DIABETES, HEART_FAILURE], 0)
    assert (four.count, four.index, four.band) == (4, Fraction(4, 36), "fit")
    five = efi.efi([ARTHRITIS, AF, DIABETES, HEART_FAILURE, HYPERTENSION], 0)
    assert (five.count, five.band) == (5, "mild")
    assert five.named() == [
        "Arthritis",
        "Atrial fibrillation",
        "Diabetes",
        "Heart failure",
        "Hypertension",
    ]


@pytest.mark.parametrize(
    ("count", "band"), [(8, "mild"), (9, "moderate"), (12, "moderate"), (13, "severe")]
)
def test_the_efi_bands_by_count(count, band):
    assert efi.band(count) == band


def test_polypharmacy_is_five_distinct_medicines_in_twelve_months():
    four = [(LAST_MONTH, m) for m in ("ramipril", "bisoprolol", "metformin", "aspirin")]
    assert efi.distinct_medicines([*four, (LAST_MONTH, "ramipril")], ON) == 4
    old = (dt.date(2025, 12, 1), "furosemide")  # a year before: outside
    assert efi.distinct_medicines([*four, old], ON) == 4
    assert efi.distinct_medicines([*four, (dt.date(2025, 12, 2), "furosemide")], ON) == 5
    assert efi.efi([], 4).deficits == () and efi.efi([], 5).deficits == (26,)


def test_a_code_that_shows_two_deficits_counts_both_and_a_deficit_counts_once():
    assert efi.efi(["239862000", "3723001"], 0).deficits == (3, 22)  # arthritis, osteoporosis


def test_the_codelists_cover_every_deficit_but_polypharmacy():
    shown = set().union(*efi.deficits_of_code().values())
    assert shown == set(range(1, 37)) - {26} and len(efi.deficits()) == 36


def test_a_count_of_four_is_suppressed_and_five_is_shown_with_its_interval():
    four = rates.rate("Quintile 1", 4, 1000)
    assert four.suppressed and four.shown_count == "<5" and four.per_1000 is None
    ten = rates.rate("Quintile 1", 10, 100)
    assert ten.per_1000 == 100.0
    assert round(ten.lower, 1) == 55.2 and round(ten.upper, 1) == 174.4  # Wilson, by hand
    assert rates.rate("Quintile 2", 0, 100).shown_count == "0"


def test_the_slope_index_of_inequality_of_two_equal_halves_is_their_gap():
    assert rates.slope_index_of_inequality([(500, 20.0), (500, 10.0)]) == pytest.approx(20.0)
    assert rates.slope_index_of_inequality([(500, 20.0)]) is None


def test_diabetes_alone_is_not_kidney_disease():
    # The source's kidney set lists the parent diabetes code; it is left out (SOURCES.md).
    assert efi.efi(["73211009"], 0).deficits == (7,)
