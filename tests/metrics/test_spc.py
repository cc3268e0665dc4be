"""XmR charts: limits, point types and icons against published cases."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wraparound.metrics.spc import (
    Assurance,
    Improvement,
    PointType,
    Segment,
    SpecialCause,
    assurance,
    xmr_chart,
)

# R: set.seed(123); rnorm(20), the series NHSRplotthedots uses in
# tests/testthat/test-ptd_spc_standard.R and test-ptd_spc.R (values as printed
# in tests/testthat/_snaps/ptd_spc_standard.md).
RNORM_20 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]


def only_segment(values: list[float], **options: object) -> Segment:
    chart = xmr_chart(values, **options)  # type: ignore[arg-type]
    (segment,) = chart.segments
    return segment


# nhs-r-community/NHSRplotthedots tests/testthat/_snaps/ptd_spc_standard.md, "r1"
def test_screened_limits_match_nhsrplotthedots_for_rnorm_20():
    segment = only_segment(RNORM_20, screen_moving_ranges=True)
    assert segment.mean == pytest.approx(0.1416238, abs=5e-8)
    assert segment.lower_limit == pytest.approx(-3.01138, abs=5e-6)
    assert segment.upper_limit == pytest.approx(3.294627, abs=5e-7)


def test_side_of_mean_matches_nhsrplotthedots_for_rnorm_20():
    chart = xmr_chart(RNORM_20)
    sides = [1 if point.value > point.mean else -1 for point in chart.points]
    assert sides[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]


# _snaps/ptd_spc_standard.md "r2" and "r3": y[15] <- 10, screened and not.
def test_screening_leaves_out_a_huge_moving_range():
    values = list(RNORM_20)
    values[14] = 10
    screened = only_segment(values, screen_moving_ranges=True)
    assert screened.mean == pytest.approx(0.6694159, abs=5e-8)
    assert screened.lower_limit == pytest.approx(-2.383666, abs=5e-7)
    assert screened.upper_limit == pytest.approx(3.722497, abs=5e-7)
    unscreened = only_segment(values, screen_moving_ranges=False)
    assert unscreened.lower_limit == pytest.approx(-4.596625, abs=5e-7)
    assert unscreened.upper_limit == pytest.approx(5.935457, abs=5e-7)


def test_screening_is_off_by_default():
    values = list(RNORM_20)
    values[14] = 10
    assert only_segment(values).upper_limit == pytest.approx(5.935457, abs=5e-7)


# _snaps/ptd_spc.md "it outputs expected content": the same series split in
# two groups of 10 (there by facet; here by a marked change, which NHSRplotthedots
# calculates the same way, per rebase group).
def test_a_marked_change_gives_each_segment_its_own_limits():
    chart = xmr_chart(
        RNORM_20, improvement=Improvement.INCREASE, changes=[10], screen_moving_ranges=True
    )
    first, second = chart.segments
    assert (first.start, first.stop, second.start, second.stop) == (0, 10, 10, 20)
    assert first.mean == pytest.approx(0.0746, abs=5e-5)
    assert first.lower_limit == pytest.approx(-2.60, abs=5e-3)
    assert first.upper_limit == pytest.approx(2.75, abs=5e-3)
    assert second.mean == pytest.approx(0.209, abs=5e-4)
    assert second.lower_limit == pytest.approx(-3.28, abs=5e-3)
    assert second.upper_limit == pytest.approx(3.70, abs=5e-3)
    assert [point.upper_limit for point in chart.points[9:11]] == [
        first.upper_limit,
        second.upper_limit,
    ]


def test_rnorm_20_is_all_common_cause():
    # _snaps/ptd_spc.md: common_cause 20, special_cause_improvement 0.
    chart = xmr_chart(RNORM_20, improvement=Improvement.INCREASE, screen_moving_ranges=True)
    assert {point.point_type for point in chart.points} == {PointType.COMMON_CAUSE}
    assert chart.variation is PointType.COMMON_CAUSE


# test-ptd_spc_standard.R "it only reports special cause for 2of3 points close
# to limits when they are on the same side of the mean"
def test_two_points_near_opposite_limits_are_common_cause():
    values = [1.0, -1.0] * 8
    values[14] = 5.5
    values[15] = -5.5
    chart = xmr_chart(values, improvement=Improvement.INCREASE, screen_moving_ranges=True)
    assert [point.point_type for point in chart.points[-2:]] == [PointType.COMMON_CAUSE] * 2
    assert [point.two_in_three for point in chart.points[-2:]] == [False, False]


# nhs-pycom/nhspy-plotthedots tests/unittests/test_limits_calculations.py
# (mean, lpl, upl, nlpl, nupl; no screening).
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (list(range(1, 11)), (5.5, 2.84, 8.16, 3.7266666666666666, 7.273333333333333)),
        (list(range(10, 0, -1)), (5.5, 2.84, 8.16, 3.7266666666666666, 7.273333333333333)),
        ([1, 2, 3, 4, 5, 4, 3, 2, 1, 2], (2.7, 0.04, 5.36, 0.9266666666666667, 4.473333333333334)),
        ([1, 2, 3], (2.0, -0.66, 4.66, 0.22666666666666657, 3.7733333333333334)),
        (list(range(20)), (9.5, 6.84, 12.16, 7.726666666666667, 11.273333333333333)),
        (
            [3, 1, 4, 1, 5, 9, 2],
            (
                3.5714285714285716,
                -6.625238095238096,
                13.768095238095238,
                -3.2263492063492065,
                10.36920634920635,
            ),
        ),
        (
            [1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2],
            (3.0, -0.0146666666666668, 6.014666666666667, 0.9902222222222221, 5.009777777777778),
        ),
        (
            [-1, -2, -3, -2, -1, -2, -3, -4, -5, -6, -7, -4, -3, -2, -1, -2],
            (-3.0, -6.014666666666667, 0.0146666666666668, -5.009777777777778, -0.9902222222222221),
        ),
    ],
)
def test_limits_match_nhspy_plotthedots(values: list[float], expected: tuple[float, ...]):
    segment = only_segment(values)
    actual = (
        segment.mean,
        segment.lower_limit,
        segment.upper_limit,
        segment.near_lower_limit,
        segment.near_upper_limit,
    )
    assert actual == pytest.approx(expected, abs=1e-12)


# nhspy-plotthedots tests/unittests/test_pandas_spc_x_calc.py, the example from
# NHS England's SPC tool video: only the 12th point (54) is outside the limits.
def test_nhs_england_tool_example_flags_only_the_low_outlier():
    values = [89, 86, 75, 77, 81, 74, 72, 78, 76, 82, 77, 54, 66, 77, 86]
    chart = xmr_chart(values)
    (segment,) = chart.segments
    assert segment.mean == pytest.approx(76.67, abs=5e-3)
    assert round(segment.lower_limit) == 57
    assert round(segment.upper_limit) == 96
    assert [point.outside_limits for point in chart.points] == [False] * 11 + [True] + [False] * 3
    assert [point.special_cause is not None for point in chart.points] == (
        [False] * 11 + [True] + [False] * 3
    )
    assert chart.points[11].special_cause is SpecialCause.BELOW_LOWER_LIMIT
    assert chart.points[11].point_type is PointType.NEUTRAL_LOW


def test_direction_of_improvement_decides_improvement_or_concern():
    values = [89, 86, 75, 77, 81, 74, 72, 78, 76, 82, 77, 54, 66, 77, 86]
    higher = xmr_chart(values, improvement=Improvement.INCREASE)
    lower = xmr_chart(values, improvement=Improvement.DECREASE)
    assert higher.points[11].point_type is PointType.CONCERN
    assert lower.points[11].point_type is PointType.IMPROVEMENT


def test_a_rising_trend_below_the_mean_is_an_improvement_when_higher_is_better():
    # The point type follows the trend's direction, not the side of the mean
    # (ptd_special_cause_type / ptd_point_type). The first 7 points sit below
    # the mean and rise; they also make a shift below, which ranks lower.
    values = [5.0, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 6.5, 5.9, 6.6, 5.8, 6.4, 6.0, 6.3]
    chart = xmr_chart(values, improvement=Improvement.INCREASE)
    first_seven = chart.points[:7]
    assert all(point.value < point.mean for point in first_seven)
    assert all(point.trend and point.shift for point in first_seven)
    assert {point.special_cause for point in first_seven} == {SpecialCause.TREND_INCREASING}
    assert {point.point_type for point in first_seven} == {PointType.IMPROVEMENT}


def test_a_tie_breaks_a_trend_on_a_chart():
    rising = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 3.0, 4.0, 3.5, 4.5, 2.5]
    with_tie = [1.0, 2.0, 3.0, 3.0, 5.0, 6.0, 7.0, 3.0, 4.0, 3.5, 4.5, 2.5]
    assert xmr_chart(rising).points[0].trend
    assert not any(point.trend for point in xmr_chart(with_tie).points)


def test_outside_the_limits_takes_precedence_over_a_trend():
    values = [10.0, 10.2, 9.9, 10.1, 10.0, 10.1, 9.9, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]
    chart = xmr_chart(values, improvement=Improvement.DECREASE)
    last = chart.points[-1]
    assert last.trend and last.outside_limits
    assert last.special_cause is SpecialCause.ABOVE_UPPER_LIMIT
    assert chart.variation is PointType.CONCERN


def test_two_of_three_near_the_upper_limit_is_special_cause():
    values = [0.0, 0.3, -0.2, 0.1, -0.1, 0.2, -0.3, 0.1, -0.1, 0.0, 1.0, 0.4, 1.0, -0.1]
    chart = xmr_chart(values, improvement=Improvement.INCREASE)
    (segment,) = chart.segments
    assert segment.near_upper_limit < 1.0 < segment.upper_limit
    assert segment.mean < 0.4 < segment.near_upper_limit
    flagged = [index for index, point in enumerate(chart.points) if point.two_in_three]
    assert flagged == [10, 12]
    assert chart.points[10].special_cause is SpecialCause.TWO_IN_THREE_HIGH
    assert chart.points[11].special_cause is None
    assert chart.points[12].point_type is PointType.IMPROVEMENT


def test_fewer_than_twelve_points_give_trial_limits():
    assert xmr_chart(list(range(11))).trial_limits
    assert not xmr_chart(list(range(12))).trial_limits
    assert xmr_chart(RNORM_20, changes=[10]).trial_limits


def test_labels_are_carried_to_points():
    chart = xmr_chart([1.0, 2.0, 3.0], ["Jan", "Feb", "Mar"])
    assert [point.label for point in chart.points] == ["Jan", "Feb", "Mar"]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: xmr_chart([1.0]), "values"),
        (lambda: xmr_chart([1.0, float("nan"), 2.0]), "values"),
        (lambda: xmr_chart([1.0, 2.0], ["a"]), "labels"),
        (lambda: xmr_chart([1.0, 2.0, 3.0], changes=[2]), "changes"),
        (lambda: xmr_chart([1.0, 2.0, 3.0], changes=[5]), "changes"),
        (lambda: xmr_chart([1.0, 2.0], target=float("inf")), "target"),
    ],
)
def test_bad_input_is_refused_naming_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()


# nhs-r-community/NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R
# (commit 7ed6ae9006d4a5bc8f9839c9eb0afeb34fba4d81): limits (1, 3), (5, 7), (1, 5); target 4.
LIMITS = [(1.0, 2.0, 3.0), (5.0, 6.0, 7.0), (1.0, 4.0, 5.0)]


def segment_with(lower: float, mean: float, upper: float) -> Segment:
    return Segment(0, 12, mean, (upper - mean) / 2.66, lower, upper)


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        (
            Improvement.INCREASE,
            [Assurance.CONSISTENTLY_FAILS, Assurance.CONSISTENTLY_PASSES, Assurance.HIT_AND_MISS],
        ),
        (
            Improvement.DECREASE,
            [Assurance.CONSISTENTLY_PASSES, Assurance.CONSISTENTLY_FAILS, Assurance.HIT_AND_MISS],
        ),
        (Improvement.NEUTRAL, [None, None, None]),
    ],
)
def test_assurance_matches_nhsrplotthedots(improvement, expected):
    assert [assurance(segment_with(*limits), 4.0, improvement) for limits in LIMITS] == expected


def test_no_target_means_no_assurance():
    assert assurance(segment_with(1.0, 2.0, 3.0), None, Improvement.INCREASE) is None
    assert xmr_chart(RNORM_20, improvement=Improvement.INCREASE).assurance is None


def test_assurance_uses_the_latest_segment():
    values = [1.0, 2.0, 1.5, 1.2, 1.8, 10.0, 11.0, 10.5, 10.2, 10.8]
    chart = xmr_chart(values, improvement=Improvement.INCREASE, target=5.0, changes=[5])
    assert chart.assurance is Assurance.CONSISTENTLY_PASSES


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=2, max_size=40))
def test_limits_are_symmetric_about_the_mean(values):
    for segment in xmr_chart(values).segments:
        spread = segment.upper_limit - segment.mean
        assert spread >= 0
        assert segment.mean - segment.lower_limit == pytest.approx(spread, rel=1e-9, abs=1e-6)


@given(finite, st.integers(min_value=2, max_value=40), st.booleans())
def test_a_constant_series_has_no_special_cause(value, count, screen):
    chart = xmr_chart([value] * count, screen_moving_ranges=screen)
    assert all(point.special_cause is None for point in chart.points)
    assert chart.variation is PointType.COMMON_CAUSE


@given(st.lists(finite, min_size=2, max_size=40))
def test_swapping_the_direction_of_improvement_swaps_improvement_and_concern(values):
    swap = {PointType.IMPROVEMENT: PointType.CONCERN, PointType.CONCERN: PointType.IMPROVEMENT}
    up = xmr_chart(values, improvement=Improvement.INCREASE)
    down = xmr_chart(values, improvement=Improvement.DECREASE)
    for higher, lower in zip(up.points, down.points, strict=True):
        assert swap.get(higher.point_type, higher.point_type) is lower.point_type


@given(st.lists(finite, min_size=2, max_size=40, unique=True))
def test_mirroring_the_values_mirrors_neutral_high_and_low(values):
    mirror = {
        PointType.NEUTRAL_HIGH: PointType.NEUTRAL_LOW,
        PointType.NEUTRAL_LOW: PointType.NEUTRAL_HIGH,
    }
    chart = xmr_chart(values)
    mirrored = xmr_chart([-value for value in values])
    for point, opposite in zip(chart.points, mirrored.points, strict=True):
        assert mirror.get(point.point_type, point.point_type) is opposite.point_type


def test_moving_ranges_restart_at_a_marked_change():
    chart = xmr_chart([1.0, 4.0, 2.0, 10.0, 13.0], changes=[3])
    assert [point.moving_range for point in chart.points] == [None, 3.0, 2.0, None, 3.0]
    assert chart.segments[0].mean_moving_range == 2.5
    assert chart.segments[0].moving_range_upper_limit == pytest.approx(3.267 * 2.5)
