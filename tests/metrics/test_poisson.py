"""Exact Poisson limits, checked against FunnelPlotR and against direct Poisson sums."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wraparound.metrics.poisson import gamma_cdf, gamma_quantile, poisson_interval, ratio_limits


def poisson_cdf(count: int, mean: float) -> float:
    """P(Y <= count) for Y ~ Poisson(mean), summed term by term (independent of the module)."""
    return math.fsum(
        math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1)) for k in range(count + 1)
    )


# nhs-r-community/FunnelPlotR tests/testthat/test-poisson_limits.R
# (commit fc29ccf0ce5aabf921c02b79db349b2068ec718e): limits for a ratio with
# target 1 at expected counts 15, 20 and 30.
@pytest.mark.parametrize(
    ("expected", "lower_95", "upper_95", "lower_998", "upper_998"),
    [
        (15, 0.5596924, 1.649348, 0.3862650, 2.082907),
        (20, 0.6108260, 1.544419, 0.4479107, 1.902094),
        (30, 0.6746958, 1.427562, 0.5289724, 1.702771),
    ],
)
def test_ratio_limits_match_funnelplotr(expected, lower_95, upper_95, lower_998, upper_998):
    assert ratio_limits(expected, 0.95) == pytest.approx((lower_95, upper_95), abs=5e-7)
    assert ratio_limits(expected, 0.998) == pytest.approx((lower_998, upper_998), abs=5e-7)


@pytest.mark.parametrize("shape", [1, 2, 5, 17, 150])
@pytest.mark.parametrize("x", [0.01, 0.7, 3.0, 12.5, 160.0])
def test_gamma_cdf_of_an_integer_shape_is_a_poisson_tail(shape, x):
    # P(shape, x) = P(Y >= shape) for Y ~ Poisson(x)
    assert gamma_cdf(shape, x) == pytest.approx(1 - poisson_cdf(shape - 1, x), abs=1e-12)


def test_no_events_give_an_upper_limit_of_minus_log_the_tail():
    lower, upper = poisson_interval(0, 0.95)
    assert lower == 0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)


@pytest.mark.parametrize("observed", [1, 4, 10, 57, 1000])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_interval_leaves_the_stated_tail_on_each_side(observed, confidence):
    tail = (1 - confidence) / 2
    lower, upper = poisson_interval(observed, confidence)
    assert 1 - poisson_cdf(observed - 1, lower) == pytest.approx(tail, rel=1e-9)
    assert poisson_cdf(observed, upper) == pytest.approx(tail, rel=1e-9)


@given(
    st.floats(min_value=0.05, max_value=1e5),
    st.floats(min_value=1e-4, max_value=1 - 1e-4),
)
def test_gamma_quantile_inverts_the_cdf(shape, probability):
    x = gamma_quantile(probability, shape)
    assert gamma_cdf(shape, x) == pytest.approx(probability, rel=1e-8, abs=1e-10)


@given(st.floats(min_value=0.1, max_value=1e5))
def test_ratio_limits_straddle_one_and_the_outer_funnel_is_wider(expected):
    lower_95, upper_95 = ratio_limits(expected, 0.95)
    lower_998, upper_998 = ratio_limits(expected, 0.998)
    assert 0 <= lower_998 < lower_95 < 1 < upper_95 < upper_998


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: gamma_quantile(0.0, 1.0), "probability"),
        (lambda: gamma_quantile(0.5, 0.0), "shape"),
        (lambda: gamma_cdf(-1.0, 1.0), "shape"),
        (lambda: poisson_interval(-1, 0.95), "observed"),
        (lambda: ratio_limits(0.0, 0.95), "expected"),
    ],
)
def test_bad_input_is_refused_naming_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()
