"""Over-dispersion for funnel plots: the additive random-effects adjustment.

Spiegelhalter, "Funnel plots for comparing institutional performance",
Statistics in Medicine 2005;24:1185-1202, section 3.2, as FunnelPlotR applies it
(R/od_adjustment.R): z-scores on a variance-stabilising scale are Winsorised
(10% at each end by default), phi is their mean square, and when phi shows
more spread than chance allows, a between-unit variance tau^2 widens every
limit: s -> sqrt(s^2 + tau^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wraparound.metrics.spc_rules import FloatArray

WINSORISE_FRACTION = 0.1
"""Share of z-scores pulled in at each end before phi is estimated."""


@dataclass(frozen=True, slots=True)
class Overdispersion:
    """The estimated dispersion: phi (1 = as chance predicts) and tau^2 (0 = no widening)."""

    phi: float
    tau2: float
    winsorised_fraction: float


def winsorise(z_scores: FloatArray, fraction: float = WINSORISE_FRACTION) -> FloatArray:
    """Pull z-scores below/above the fraction/1-fraction quantiles in to those quantiles.

    The quantiles are R's default (type 7), numpy's default "linear".
    """
    if not 0 <= fraction < 0.5:
        raise ValueError("fraction: must be at least 0 and below 0.5")
    low, high = np.quantile(z_scores, [fraction, 1 - fraction])
    return np.clip(z_scores, low, high)


def estimate(
    z_scores: FloatArray, standard_errors: FloatArray, fraction: float = WINSORISE_FRACTION
) -> Overdispersion:
    """Estimate phi and tau^2 from unadjusted z-scores and their standard errors.

    tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)), w = 1 / s^2.
    """
    units = len(z_scores)
    if units == 0:
        raise ValueError("z_scores: need at least one unit")
    phi = float(np.mean(winsorise(z_scores, fraction) ** 2))
    weights = 1 / standard_errors**2
    spread = float(np.sum(weights) - np.sum(weights**2) / np.sum(weights))
    excess = units * phi - (units - 1)
    # A single unit has no between-unit spread to estimate.
    tau2 = max(0.0, excess / spread) if spread > 0 else 0.0
    return Overdispersion(phi=phi, tau2=tau2, winsorised_fraction=fraction)
