"""Exact Poisson limits through the gamma distribution (scipy's incomplete gamma function).

The exact (Garwood) limits for a Poisson count use the chi-square quantiles
qchisq(p, 2k) / 2, which are quantiles of a gamma distribution with shape k: scipy's
regularised incomplete gamma function ``gammainc`` and its inverse ``gammaincinv`` are
exactly those, maintained and tested far beyond what a hand-written series would be.
This module only checks its inputs, so a bad one is refused naming the field.
"""

from __future__ import annotations

import math

from scipy.special import gammainc, gammaincinv


def gamma_cdf(shape: float, x: float) -> float:
    """P(shape, x): the probability that a gamma(shape, 1) variable is at most x."""
    if shape <= 0:
        raise ValueError("shape: must be positive")
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    return float(gammainc(shape, x))


def gamma_quantile(probability: float, shape: float) -> float:
    """The x at which gamma_cdf(shape, x) equals probability (0 < probability < 1)."""
    if not 0 < probability < 1:
        raise ValueError("probability: must lie strictly between 0 and 1")
    if shape <= 0:
        raise ValueError("shape: must be positive")
    return float(gammaincinv(shape, probability))


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
