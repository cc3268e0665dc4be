"""Exact Poisson limits through the gamma distribution, without scipy.

The exact (Garwood) limits for a Poisson count use the chi-square quantiles
qchisq(p, 2k) / 2, which are quantiles of a gamma distribution with shape k.
scipy is not a dependency of Wraparound, so this module carries a small
implementation: the regularised lower incomplete gamma function P(a, x)
(series below a + 1, continued fraction above, the classic split that keeps
both converging quickly) and its inverse by Newton's method kept inside a
bisection bracket.
"""

from __future__ import annotations

import math

_EPSILON = 1e-15
_TINY = 1e-300
_MAX_TERMS = 100_000


def gamma_cdf(shape: float, x: float) -> float:
    """P(shape, x): the probability that a gamma(shape, 1) variable is at most x."""
    if shape <= 0:
        raise ValueError("shape: must be positive")
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    if x < shape + 1:
        return _lower_series(shape, x)
    return 1.0 - _upper_continued_fraction(shape, x)


def gamma_quantile(probability: float, shape: float) -> float:
    """The x at which gamma_cdf(shape, x) equals probability (0 < probability < 1)."""
    if not 0 < probability < 1:
        raise ValueError("probability: must lie strictly between 0 and 1")
    if shape <= 0:
        raise ValueError("shape: must be positive")
    low, high = 0.0, max(1.0, shape + 10 * math.sqrt(shape) + 10)
    while gamma_cdf(shape, high) < probability:
        low, high = high, 2 * high
    x = min(max(_first_guess(probability, shape), low), high)
    log_norm = math.lgamma(shape)
    for _ in range(400):
        error = gamma_cdf(shape, x) - probability
        if error < 0:
            low = x
        else:
            high = x
        density = math.exp((shape - 1) * math.log(x) - x - log_norm) if x > 0 else 0.0
        step_ok = density > 0
        candidate = x - error / density if step_ok else low
        if not step_ok or not low < candidate < high:
            candidate = 0.5 * (low + high)
        if abs(candidate - x) <= 1e-14 * max(abs(candidate), _TINY) or high - low <= _TINY:
            return candidate
        x = candidate
    return x


def poisson_interval(observed: float, confidence: float) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval for a Poisson mean given an observed count."""
    if observed < 0:
        raise ValueError("observed: must not be negative")
    tail = (1 - confidence) / 2
    lower = 0.0 if observed == 0 else gamma_quantile(tail, observed)
    return lower, gamma_quantile(1 - tail, observed + 1)


def ratio_limits(expected: float, confidence: float) -> tuple[float, float]:
    """Funnel limits for observed / expected when the expected count is `expected`.

    As FunnelPlotR (R/calculate_limits.R): qchisq(tail, 2E) / 2E and
    qchisq(1 - tail, 2(E + 1)) / 2E, the exact Poisson interval with the
    expected count in place of the observed one, so the limits are smooth in E.
    """
    if expected <= 0:
        raise ValueError("expected: must be positive")
    tail = (1 - confidence) / 2
    lower = gamma_quantile(tail, expected) / expected
    upper = gamma_quantile(1 - tail, expected + 1) / expected
    return lower, upper


def _first_guess(probability: float, shape: float) -> float:
    if shape < 1:
        # P(a, x) ~ x^a / Gamma(a + 1) for small x.
        return math.exp((math.log(probability) + math.lgamma(shape + 1)) / shape)
    # Wilson-Hilferty: a chi-square's cube root is nearly normal.
    z = _normal_quantile(probability)
    cube = 1 - 1 / (9 * shape) + z / (3 * math.sqrt(shape))
    return shape * max(cube, 1e-3) ** 3


def _normal_quantile(probability: float) -> float:
    """A rough standard normal quantile (good to ~1e-3), enough for a starting point."""
    tail = min(probability, 1 - probability)
    t = math.sqrt(-2 * math.log(tail))
    z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (
        1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3
    )
    return z if probability > 0.5 else -z


def _prefactor(shape: float, x: float) -> float:
    return math.exp(shape * math.log(x) - x - math.lgamma(shape))


def _lower_series(shape: float, x: float) -> float:
    term = total = 1.0 / shape
    denominator = shape
    for _ in range(_MAX_TERMS):
        denominator += 1
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * _EPSILON:
            break
    return min(1.0, total * _prefactor(shape, x))


def _upper_continued_fraction(shape: float, x: float) -> float:
    """Q(shape, x) by the modified Lentz method."""
    b = x + 1 - shape
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - shape)
        b += 2
        d = an * d + b
        d = d if abs(d) >= _TINY else _TINY
        c = b + an / c
        c = c if abs(c) >= _TINY else _TINY
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPSILON:
            break
    return min(1.0, _prefactor(shape, x) * h)
