"""The special-cause rules, on the cases NHSRplotthedots publishes in its tests.

Source: nhs-r-community/NHSRplotthedots, tests/testthat/test-ptd_calculate_point_type.R
(commit 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225). The R package tests each
rule in two steps (the point that completes a pattern, then the points that
are part of it); our rules return the second directly, so each expected
vector below is the R expectation passed through ptd_part_of_seven_trend /
ptd_part_of_two_in_three, whose own published cases are tested too.
"""

import numpy as np

from wraparound.metrics import spc_rules


def sides(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int8)


def floats(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def flags(*values: int) -> list[bool]:
    return [bool(value) for value in values]


# ptd_part_of_seven_trend() cases
def test_a_run_end_marks_itself_and_the_six_points_before_it():
    assert spc_rules.part_of_run(np.array(flags(0, 0, 0, 0, 0, 0, 1, 0))).tolist() == flags(
        1, 1, 1, 1, 1, 1, 1, 0
    )
    assert spc_rules.part_of_run(np.array(flags(0, 0, 0, 0, 0, 0, 0, 1, 0))).tolist() == flags(
        0, 1, 1, 1, 1, 1, 1, 1, 0
    )


def test_no_run_end_marks_nothing():
    assert spc_rules.part_of_run(np.zeros(6, dtype=np.bool_)).tolist() == [False] * 6
    assert spc_rules.part_of_run(np.zeros(0, dtype=np.bool_)).tolist() == []


# ptd_seven_point_one_side_mean() cases
def test_six_points_on_one_side_are_not_a_shift():
    assert spc_rules.shift(sides(1, 1, 1, 1, 1, 1)).tolist() == [False] * 6
    assert spc_rules.shift(sides(1, 1, 1, 1, 1, 1, -1)).tolist() == [False] * 7


def test_eight_points_above_the_mean_are_all_part_of_a_shift():
    # R: ends at points 7 and 8 -> part of: points 1..8
    assert spc_rules.shift(sides(1, 1, 1, 1, 1, 1, 1, 1, -1)).tolist() == flags(
        1, 1, 1, 1, 1, 1, 1, 1, 0
    )


def test_eight_points_below_the_mean_are_all_part_of_a_shift():
    assert spc_rules.shift(sides(-1, -1, -1, -1, -1, -1, -1, -1, 1)).tolist() == flags(
        1, 1, 1, 1, 1, 1, 1, 1, 0
    )


def test_a_shift_inside_a_longer_series_marks_only_its_own_points():
    # R: ptd_seven_point_one_side_mean(c(-1, rep(1, 8), -1)) ends at 8 and 9
    assert spc_rules.shift(sides(-1, 1, 1, 1, 1, 1, 1, 1, 1, -1)).tolist() == flags(
        0, 1, 1, 1, 1, 1, 1, 1, 1, 0
    )


def test_a_point_on_the_mean_breaks_a_shift():
    # ptd_seven_point_one_side_mean requires every side to equal a non-zero side.
    assert spc_rules.shift(sides(1, 1, 1, 0, 1, 1, 1, 1, 1, 1)).tolist() == [False] * 10
    assert spc_rules.shift(sides(0, 0, 0, 0, 0, 0, 0)).tolist() == [False] * 7


# ptd_seven_point_trend() cases
def test_six_rising_points_are_not_a_trend():
    assert spc_rules.trend(floats(1, 2, 3, 4, 5, 6)).tolist() == [False] * 6


def test_a_tie_breaks_a_trend():
    # R: ptd_seven_point_trend(c(1:3, 3:6)) == rep(0, 7)
    assert spc_rules.trend(floats(1, 2, 3, 3, 4, 5, 6)).tolist() == [False] * 7


def test_seven_rising_points_are_a_trend():
    assert spc_rules.trend(floats(1, 2, 3, 4, 5, 6, 7)).tolist() == [True] * 7


def test_seven_falling_points_are_a_trend():
    assert spc_rules.trend(floats(7, 6, 5, 4, 3, 2, 1)).tolist() == [True] * 7


def test_a_trend_marks_only_the_points_that_rise_together():
    # R: ptd_seven_point_trend(c(2, 1:7, 3)) ends at point 8 -> part of: points 2..8
    assert spc_rules.trend(floats(2, 1, 2, 3, 4, 5, 6, 7, 3)).tolist() == flags(
        0, 1, 1, 1, 1, 1, 1, 1, 0
    )
    assert spc_rules.trend(floats(2, 7, 6, 5, 4, 3, 2, 1, 3)).tolist() == flags(
        0, 1, 1, 1, 1, 1, 1, 1, 0
    )


def test_a_peak_between_two_trends_takes_the_direction_of_the_later_one():
    values = floats(1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1)
    in_trend = spc_rules.trend(values)
    assert in_trend.all()
    directions = spc_rules.trend_direction(values, in_trend).tolist()
    assert directions == [1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1]


# ptd_two_in_three() and ptd_part_of_two_in_three() cases
def test_two_of_three_near_a_limit_on_one_side_are_flagged():
    all_above = sides(1, 1, 1)
    for near in (flags(1, 0, 1), flags(0, 1, 1), flags(1, 1, 0)):
        assert spc_rules.two_in_three(np.array(near), all_above).tolist() == near


def test_two_of_three_marks_only_the_points_near_the_limit():
    above = sides(1, 1, 1, 1, 1, 1, 1)
    near = flags(0, 0, 1, 0, 1, 0, 0)
    assert spc_rules.two_in_three(np.array(near), above).tolist() == near
    near = flags(0, 0, 1, 1, 0, 0, 0)
    assert spc_rules.two_in_three(np.array(near), above).tolist() == near


def test_two_near_points_further_than_three_apart_are_not_flagged():
    assert (
        spc_rules.two_in_three(np.array(flags(1, 0, 0, 1)), sides(1, 1, 1, 1)).tolist()
        == [False] * 4
    )
    assert spc_rules.two_in_three(
        np.array(flags(1, 0, 0, 1, 1)), sides(1, 1, 1, 1, 1)
    ).tolist() == flags(0, 0, 0, 1, 1)


def test_two_of_three_needs_all_three_points_on_the_same_side_of_the_mean():
    # "ptd_two_in_three works as expected when points are on opposite sides of the mean"
    for near in (flags(1, 0, 1), flags(0, 1, 1), flags(1, 1, 0)):
        assert spc_rules.two_in_three(np.array(near), sides(1, -1, 1)).tolist() == [False] * 3
    assert (
        spc_rules.two_in_three(
            np.array(flags(0, 0, 1, 0, 1, 0, 0)), sides(1, -1, 1, -1, 1, -1, 1)
        ).tolist()
        == [False] * 7
    )
    assert (
        spc_rules.two_in_three(
            np.array(flags(0, 0, 1, 1, 0, 0, 0)), sides(-1, 1, -1, 1, -1, 1, -1)
        ).tolist()
        == [False] * 7
    )


def test_rules_on_empty_input_flag_nothing():
    empty_floats = np.zeros(0, dtype=np.float64)
    empty_sides = np.zeros(0, dtype=np.int8)
    assert spc_rules.trend(empty_floats).tolist() == []
    assert spc_rules.shift(empty_sides).tolist() == []
    assert spc_rules.two_in_three(np.zeros(0, dtype=np.bool_), empty_sides).tolist() == []
    assert spc_rules.trend_direction(empty_floats, np.zeros(0, dtype=np.bool_)).tolist() == []
