"""The Friends and Family Test's arithmetic: percentages, intervals, suppression, themes,
and the p-chart of % positive."""

from __future__ import annotations

import math

import pytest

from wraparound.feedback.fft import (
    LABELS,
    OTHER,
    Answer,
    monthly_return,
    share,
    themes_of,
)
from wraparound.metrics.pchart import p_chart

A = Answer


def test_the_six_answers_are_the_national_wording():
    assert [LABELS[a] for a in Answer] == [
        "Very good",
        "Good",
        "Neither good nor poor",
        "Poor",
        "Very poor",
        "Don't know",
    ]


def test_percent_positive_and_negative_count_dont_know_in_the_denominator():
    # Counted by hand: 7 very good, 5 good, 2 neither, 1 poor, 1 very poor, 4 don't know.
    answers = [A.VERY_GOOD] * 7 + [A.GOOD] * 5 + [A.NEITHER] * 2 + [A.POOR, A.VERY_POOR]
    month = monthly_return(answers + [A.DONT_KNOW] * 4)
    assert month.total == 20
    assert month.positive.percent == pytest.approx(60.0)  # 12 of 20
    assert month.negative.percent == pytest.approx(10.0)  # 2 of 20


def test_the_interval_is_wilsons():
    # Wilson 95% for 12 of 20, worked from its formula.
    z, n, p = 1.959963984540054, 20, 0.6
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    got = share(12, 20)
    assert got.low == pytest.approx(100 * (centre - half), abs=1e-6)
    assert got.high == pytest.approx(100 * (centre + half), abs=1e-6)


def test_counts_under_five_are_suppressed_and_so_are_percentages_of_fewer_than_five():
    month = monthly_return([A.VERY_GOOD] * 6 + [A.POOR] * 2)
    assert month.shown(A.VERY_GOOD) == "6"
    assert month.shown(A.POOR) == "fewer than 5"
    assert month.shown(A.GOOD) == "0"
    few = monthly_return([A.GOOD] * 4)
    assert few.positive.percent is None and few.positive.low is None


@pytest.mark.parametrize(
    ("comment", "themes"),
    [
        (
            "The nurse was so kind and explained everything",
            ["Staff attitude and kindness", "Communication and information"],
        ),
        ("They were two hours late and I had to wait in", ["Timeliness and waiting"]),
        ("A different nurse every time", ["Continuity of carer"]),
        ("My dressing was changed well", ["Clinical care and skill"]),
        ("Nothing to add, thanks", [OTHER]),
        ("   ", []),
    ],
)
def test_comments_are_coded_to_the_listed_themes_by_their_words(comment, themes):
    assert themes_of(comment) == themes


def test_a_month_far_from_the_rest_lies_outside_its_own_limits():
    months = [(f"m{i}", 40, 36) for i in range(8)] + [("bad", 40, 16)]
    chart = p_chart(months)
    assert chart is not None
    assert chart.points[-1].outside and not any(p.outside for p in chart.points[:-1])
    centre = (8 * 36 + 16) / (9 * 40)
    assert chart.centre == pytest.approx(100 * centre)
    sigma = math.sqrt(centre * (1 - centre) / 40)
    assert chart.points[0].lower == pytest.approx(100 * (centre - 3 * sigma))


def test_a_month_with_fewer_answers_has_wider_limits_and_empty_months_are_left_out():
    chart = p_chart([("a", 100, 80), ("b", 10, 8), ("c", 0, 0)])
    assert chart is not None and [p.label for p in chart.points] == ["a", "b"]
    wide, narrow = chart.points[1], chart.points[0]
    assert wide.upper - wide.lower > narrow.upper - narrow.lower
    assert p_chart([("x", 0, 0)]) is None


@pytest.mark.parametrize(
    "comment",
    [
        "She fell in the bathroom and nobody came back",
        "They gave me the wrong dose of insulin",
        "I have a pressure sore now",
    ],
)
def test_a_comment_telling_of_harm_is_coded_a_possible_safety_concern(comment):
    assert themes_of(comment)[0] == "Possible safety concern"
