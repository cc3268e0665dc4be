"""Funnel plots: published limits where there are some, the formulae worked by hand elsewhere."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wraparound.metrics.funnel import (
    Z_95,
    Z_998,
    FunnelKind,
    FunnelPlot,
    ProportionMethod,
    Side,
    arcsine_limits,
    outside,
    proportion_funnel,
    rate_funnel,
    ratio_funnel,
    wilson_limits,
)
from wraparound.metrics.poisson import ratio_limits

# ukhsa-collaboration/PHEindicatormethods tests/testthat/testdata_funnel_prop_outputs.csv
# (commit 63894a99103ffc9e0a3e8a15644200a3abb95669): Wilson limits in percent
# around the baseline 80.642448%, at a selection of its populations. Both the
# limits and the baseline are published to 6 decimals, hence the tolerance.
PHE_BASELINE = 0.80642448
PHE_WILSON_LIMITS = [
    # population, lower 95, upper 95, lower 99.8, upper 99.8
    (1, 3.204264, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


def wilson_funnel(centre: float) -> FunnelPlot:
    return FunnelPlot(FunnelKind.PROPORTION, centre, (), ProportionMethod.WILSON, None)


@pytest.mark.parametrize(("population", "low95", "high95", "low998", "high998"), PHE_WILSON_LIMITS)
def test_wilson_limits_match_phe_indicator_methods(population, low95, high95, low998, high998):
    limits = wilson_funnel(PHE_BASELINE).limits_at(population)
    in_percent = [
        100 * limit
        for limit in (limits.lower_95, limits.upper_95, limits.lower_998, limits.upper_998)
    ]
    assert in_percent == pytest.approx([low95, high95, low998, high998], abs=1e-6)


# PHEindicatormethods tests/testthat/testdata_funnel_prop_inputs.csv
# (commit 3352ce5d861197880cae0ccb329a0ce50424bfda): published significance
# of some areas against the same baseline.
@pytest.mark.parametrize(
    ("area", "numerator", "denominator", "outside_95", "outside_998"),
    [
        ("New Forest PCT", 35078.488, 41980, Side.HIGH, Side.HIGH),
        ("Norwich PCT", 24803.6256, 31824, Side.LOW, Side.LOW),
        ("South Gloucestershire PCT", 50050.7443, 61921, None, None),
        ("West Norfolk PCT", 26789.238, 33012, Side.HIGH, None),
        ("North Devon PCT", 30277.5312, 37828, Side.LOW, None),
        ("Heywood and Middleton PCT", 14493.3552, 17964, None, None),
    ],
)
def test_wilson_significance_matches_phe_indicator_methods(
    area, numerator, denominator, outside_95, outside_998
):
    limits = wilson_funnel(PHE_BASELINE).limits_at(denominator)
    value = numerator / denominator
    assert outside(value, limits.lower_95, limits.upper_95) is outside_95, area
    assert outside(value, limits.lower_998, limits.upper_998) is outside_998, area


def test_arcsine_limits_follow_the_formula_on_a_worked_case():
    # p0 = 0.3, n = 50: asin(sqrt(0.3)) = 0.579640, 1 / (2 sqrt(50)) = 0.0707107
    middle = math.asin(math.sqrt(0.3))
    assert middle == pytest.approx(0.5796397, abs=1e-7)
    half_95 = 1.959964 * (1 / (2 * math.sqrt(50)))
    expected_95 = (math.sin(middle - half_95) ** 2, math.sin(middle + half_95) ** 2)
    assert arcsine_limits(0.3, 50, Z_95) == pytest.approx(expected_95, abs=1e-7)
    assert expected_95 == pytest.approx((0.182234, 0.433034), abs=1e-6)


def test_a_proportion_funnel_centres_on_the_pooled_proportion():
    funnel = proportion_funnel([10, 30, 50], [100, 100, 200], ["A", "B", "C"])
    assert funnel.centre == pytest.approx(90 / 400)
    a = funnel.units[0]
    assert (a.label, a.value) == ("A", 0.1)
    assert (a.limits.lower_95, a.limits.upper_95) == pytest.approx(arcsine_limits(0.225, 100, Z_95))
    assert (a.limits.lower_998, a.limits.upper_998) == pytest.approx(
        arcsine_limits(0.225, 100, Z_998)
    )


def test_units_beyond_the_funnel_are_flagged_with_their_side():
    funnel = proportion_funnel([30, 45, 60, 80, 12, 95], [108, 112, 165, 195, 100, 220])
    flags = [(unit.outside_95, unit.outside_998) for unit in funnel.units]
    # Unit 5 (12%) is far below the pooled 35.8%; unit 6 (43.2%, n = 220) just above the 95% limit.
    assert flags == [(None, None)] * 4 + [(Side.LOW, Side.LOW), (Side.HIGH, None)]


def test_wilson_and_arcsine_limits_agree_closely_for_large_denominators():
    for z in (Z_95, Z_998):
        assert wilson_limits(0.4, 50_000, z) == pytest.approx(
            arcsine_limits(0.4, 50_000, z), abs=1e-4
        )


def r_type_7_quantile(values: list[float], probability: float) -> float:
    """R's default quantile, written out for the test."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * probability
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def test_overdispersion_widens_arcsine_limits_as_spiegelhalter_describes():
    numerators = [30, 45, 60, 80, 12, 95, 41, 70, 22, 58]
    denominators = [108, 112, 165, 195, 100, 220, 120, 150, 90, 160]
    funnel = proportion_funnel(numerators, denominators, adjust_for_overdispersion=True)

    # Worked by hand from the formulae in the reference, independently of the module.
    p0 = sum(numerators) / sum(denominators)
    errors = [1 / (2 * math.sqrt(n)) for n in denominators]
    z = [
        (math.asin(math.sqrt(r / n)) - math.asin(math.sqrt(p0))) / s
        for r, n, s in zip(numerators, denominators, errors, strict=True)
    ]
    low, high = r_type_7_quantile(z, 0.1), r_type_7_quantile(z, 0.9)
    phi = sum(min(max(score, low), high) ** 2 for score in z) / len(z)
    weights = [1 / s**2 for s in errors]
    tau2 = max(
        0.0,
        (len(z) * phi - (len(z) - 1)) / (sum(weights) - sum(w * w for w in weights) / sum(weights)),
    )
    assert funnel.dispersion is not None
    assert funnel.dispersion.phi == pytest.approx(phi, rel=1e-12)
    assert funnel.dispersion.tau2 == pytest.approx(tau2, rel=1e-12)
    assert tau2 > 0

    unit = funnel.units[4]
    half = Z_998 * math.sqrt(errors[4] ** 2 + tau2)
    middle = math.asin(math.sqrt(p0))
    assert unit.limits.lower_998 == pytest.approx(math.sin(middle - half) ** 2, rel=1e-12)
    assert unit.limits.upper_998 == pytest.approx(math.sin(middle + half) ** 2, rel=1e-12)
    plain = proportion_funnel(numerators, denominators).units[4].limits
    assert unit.limits.lower_998 < plain.lower_998 < plain.upper_998 < unit.limits.upper_998


def test_no_overdispersion_leaves_the_limits_alone():
    # Units that agree with each other exactly: phi = 0, so tau^2 = 0.
    funnel = proportion_funnel([10, 20, 40], [100, 200, 400], adjust_for_overdispersion=True)
    assert funnel.dispersion is not None
    assert funnel.dispersion.tau2 == 0
    assert (
        funnel.units[0].limits == proportion_funnel([10, 20, 40], [100, 200, 400]).units[0].limits
    )


def test_overdispersion_needs_the_arcsine_method():
    with pytest.raises(ValueError, match="method"):
        proportion_funnel(
            [1, 2], [10, 10], method=ProportionMethod.WILSON, adjust_for_overdispersion=True
        )


# FunnelPlotR tests/testthat/test-poisson_limits.R, through the funnel.
def test_standardised_ratio_limits_match_funnelplotr():
    funnel = ratio_funnel([12, 25, 28], [15, 20, 30])
    assert funnel.centre == 1
    limits = funnel.limits_at(15)
    assert (limits.lower_95, limits.upper_95) == pytest.approx((0.5596924, 1.649348), abs=5e-7)
    assert (limits.lower_998, limits.upper_998) == pytest.approx((0.3862650, 2.082907), abs=5e-7)
    assert [unit.value for unit in funnel.units] == pytest.approx([0.8, 1.25, 28 / 30])


def test_overdispersed_ratios_use_square_root_limits():
    # The six units of FunnelPlotR's tests/testthat/test-OD_adjust_func.R.
    observed = [100, 150, 180, 80, 120, 225]
    expected = [108, 112, 165, 95, 100, 220]
    funnel = ratio_funnel(observed, expected, adjust_for_overdispersion=True)
    assert funnel.dispersion is not None
    tau2 = funnel.dispersion.tau2
    assert tau2 > 0
    half = Z_95 * math.sqrt(1 / (4 * 108) + tau2)
    first = funnel.units[0].limits
    assert (first.lower_95, first.upper_95) == pytest.approx(((1 - half) ** 2, (1 + half) ** 2))
    assert funnel.units[1].outside_95 is Side.HIGH


def test_a_rate_funnel_is_a_ratio_funnel_scaled_by_the_pooled_rate():
    events = [3, 0, 12, 7]
    bed_days = [1000, 800, 2000, 1500]
    funnel = rate_funnel(events, bed_days)
    pooled = 22 / 5300
    assert funnel.centre == pytest.approx(pooled)
    low, high = ratio_limits(pooled * 800, 0.95)
    no_events = funnel.units[1]
    assert (no_events.limits.lower_95, no_events.limits.upper_95) == pytest.approx(
        (pooled * low, pooled * high)
    )
    assert no_events.value == 0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: proportion_funnel([], []), "numerators"),
        (lambda: proportion_funnel([1, 2], [10]), "denominators"),
        (lambda: proportion_funnel([11], [10]), "numerators"),
        (lambda: proportion_funnel([1], [0]), "denominators"),
        (lambda: proportion_funnel([-1], [10]), "numerators"),
        (lambda: proportion_funnel([1], [10], ["a", "b"]), "labels"),
        (lambda: rate_funnel([0, 0], [10, 10]), "events"),
        (lambda: ratio_funnel([1], [1]).limits_at(0), "denominator"),
    ],
)
def test_bad_input_is_refused_naming_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()


@given(
    st.floats(min_value=0.001, max_value=0.999),
    st.floats(min_value=1, max_value=1e6),
    st.sampled_from([ProportionMethod.ARCSINE, ProportionMethod.WILSON]),
)
def test_proportion_limits_are_nested_within_zero_and_one(centre, denominator, method):
    funnel = FunnelPlot(FunnelKind.PROPORTION, centre, (), method, None)
    limits = funnel.limits_at(denominator)
    assert 0 <= limits.lower_998 <= limits.lower_95 <= centre
    assert centre <= limits.upper_95 <= limits.upper_998 <= 1


@given(st.floats(min_value=0.01, max_value=0.99), st.floats(min_value=1, max_value=1e5))
def test_funnels_narrow_as_the_denominator_grows(centre, denominator):
    for method in ProportionMethod:
        funnel = FunnelPlot(FunnelKind.PROPORTION, centre, (), method, None)
        small, large = funnel.limits_at(denominator), funnel.limits_at(denominator * 4)
        assert large.upper_95 - large.lower_95 <= small.upper_95 - small.lower_95 + 1e-12
