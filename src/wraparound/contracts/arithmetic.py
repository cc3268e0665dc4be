"""An alliance contract's arithmetic: from activity and quality to each partner's payment.

Pure and typed (no Django), in whole pence. A year's terms:

- a **fixed element**, split between the partners as agreed;
- a **variable element**: a rate per unit of activity above or below a baseline, with a
  **dead band** either side of the baseline inside which activity moves no money (only the
  activity beyond the band is paid or refunded);
- a **quality premium**: an amount for each named standard metric that meets its
  threshold over the period;
- a **cap and a collar**: the total (fixed + variable + premium) never goes above the cap
  or below the collar;
- a **risk share**: what the total comes to above or below the fixed element (the gain or
  the loss) is shared between the partners in agreed proportions (basis points).

A statement for part of the year (year to date, ``months`` of 12) takes every annual amount
pro rata. Each rounding is to the nearest penny, halves away from zero, and splits use the
largest-remainder method, so the partners' payments always sum to the total exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

WHOLE = 10_000  # basis points in the whole

__all__ = [
    "WHOLE",
    "InvalidTerms",
    "Partner",
    "PartnerPayment",
    "QualityResult",
    "QualityThreshold",
    "Statement",
    "Step",
    "Terms",
    "apportion",
    "money",
    "pounds",
    "settle",
]


class InvalidTerms(ValueError):
    """Terms that cannot be settled; ``field`` names the term at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    fixed_pence: int
    risk_share_basis_points: int


@dataclass(frozen=True)
class QualityThreshold:
    metric_code: str
    metric_name: str
    threshold: Decimal
    higher_is_better: bool
    premium_pence: int

    def met_by(self, value: Decimal | None) -> bool:
        if value is None:  # not measured is not met
            return False
        return value >= self.threshold if self.higher_is_better else value <= self.threshold


@dataclass(frozen=True)
class Terms:
    fixed_pence: int
    rate_pence: int
    baseline_activity: int
    dead_band_activity: int
    cap_pence: int
    collar_pence: int
    partners: tuple[Partner, ...]
    thresholds: tuple[QualityThreshold, ...] = ()

    def check(self) -> None:
        """Raise ``InvalidTerms`` naming the first term that cannot be right."""
        for name in ("fixed_pence", "rate_pence", "baseline_activity", "dead_band_activity"):
            if getattr(self, name) < 0:
                raise InvalidTerms(name, "cannot be negative")
        if self.collar_pence < 0:
            raise InvalidTerms("collar_pence", "cannot be negative")
        if self.cap_pence < self.collar_pence:
            raise InvalidTerms("cap_pence", "the cap is below the collar")
        if not self.partners:
            raise InvalidTerms("partners", "a contract needs at least one partner")
        if len({p.code for p in self.partners}) != len(self.partners):
            raise InvalidTerms("partners", "a partner is named twice")
        if sum(p.fixed_pence for p in self.partners) != self.fixed_pence:
            raise InvalidTerms("partners", "the partners' fixed amounts do not add up to it")
        if any(p.fixed_pence < 0 for p in self.partners):
            raise InvalidTerms("partners", "a partner's fixed amount cannot be negative")
        if any(p.risk_share_basis_points < 0 for p in self.partners):
            raise InvalidTerms("partners", "a risk share cannot be negative")
        if sum(p.risk_share_basis_points for p in self.partners) != WHOLE:
            raise InvalidTerms("partners", "the risk shares must add up to 100%")
        if any(t.premium_pence < 0 for t in self.thresholds):
            raise InvalidTerms("thresholds", "a premium cannot be negative")


@dataclass(frozen=True)
class QualityResult:
    threshold: QualityThreshold
    value: Decimal | None
    met: bool
    premium_pence: int  # pro rata, earned or not


@dataclass(frozen=True)
class Step:
    """One line of a statement: what it is, how it was worked out, and the amount."""

    label: str
    working: str
    pence: int | None = None


@dataclass(frozen=True)
class PartnerPayment:
    partner: Partner
    fixed_pence: int
    share_pence: int  # of the gain (positive) or the loss (negative)

    @property
    def total_pence(self) -> int:
        return self.fixed_pence + self.share_pence


@dataclass(frozen=True)
class Statement:
    months: int
    activity: int
    baseline: Fraction
    dead_band: Fraction
    fixed_pence: int
    variable_pence: int
    quality: tuple[QualityResult, ...]
    premium_pence: int
    before_limits_pence: int
    cap_pence: int
    collar_pence: int
    total_pence: int
    limited_by: str | None  # "cap", "collar" or None
    payments: tuple[PartnerPayment, ...]
    steps: tuple[Step, ...]

    @property
    def gain_or_loss_pence(self) -> int:
        return self.total_pence - self.fixed_pence


def pence(amount: Fraction | Decimal | int) -> int:
    """To the nearest penny, halves away from zero."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def apportion(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` pence in proportion to ``weights``, summing to it exactly.

    Largest remainder: each takes the whole pence of its quota, and the pence left over go
    one each to the largest remainders (the earlier on a tie). A negative amount (a loss)
    is split as its size, then negated, so a loss is shared as a gain would be.
    """
    if amount < 0:
        return [-part for part in apportion(-amount, weights)]
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("the weights must add up to more than nothing")
    quotas = [amount * w // whole for w in weights]
    remainders = [amount * w % whole for w in weights]
    left = amount - sum(quotas)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        quotas[index] += 1
    return quotas


def money(pence: int) -> str:
    """Whole pence as people read money, the sign before the pound sign: -£1,234.50."""
    sign = "-" if pence < 0 else ""
    whole, pennies = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{pennies:02d}"


def pounds(pence: int) -> str:
    """Whole pence as a plain number of pounds, for a CSV: -1234.50."""
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def _units(value: Fraction) -> str:
    return f"{float(value):,.1f}".removesuffix(".0")


def settle(
    terms: Terms, *, activity: int, quality: Mapping[str, Decimal | None], months: int = 12
) -> Statement:
    """The statement for the first ``months`` months of the contract year."""
    terms.check()
    if not 1 <= months <= 12:
        raise InvalidTerms("months", "a statement covers 1 to 12 months of the year")
    if activity < 0:
        raise InvalidTerms("activity", "cannot be negative")
    part = Fraction(months, 12)
    steps: list[Step] = []

    fixed = pence(terms.fixed_pence * part)
    steps.append(Step("Fixed element", f"{money(terms.fixed_pence)} x {months}/12", fixed))

    baseline = terms.baseline_activity * part
    band = terms.dead_band_activity * part
    above = activity - baseline
    beyond_band = above - band if above > band else above + band if above < -band else Fraction(0)
    variable = pence(terms.rate_pence * beyond_band)
    steps.append(
        Step(
            "Activity",
            f"{activity:,} completed contacts against a baseline of {_units(baseline)}"
            f" (± {_units(band)} dead band)",
        )
    )
    steps.append(
        Step(
            "Variable element",
            f"{_units(beyond_band)} contacts beyond the dead band x {money(terms.rate_pence)}",
            variable,
        )
    )

    results = []
    for threshold in terms.thresholds:
        value = quality.get(threshold.metric_code)
        met = threshold.met_by(value)
        premium = pence(threshold.premium_pence * part)
        results.append(QualityResult(threshold, value, met, premium))
        comparison = "at least" if threshold.higher_is_better else "at most"
        shown = "not measured" if value is None else f"{value}"
        steps.append(
            Step(
                f"Quality: {threshold.metric_name}",
                f"{shown} against {comparison} {threshold.threshold}: "
                + ("met" if met else "not met"),
                premium if met else 0,
            )
        )
    premium_total = sum(r.premium_pence for r in results if r.met)

    before = fixed + variable + premium_total
    cap = pence(terms.cap_pence * part)
    collar = pence(terms.collar_pence * part)
    total = min(max(before, collar), cap)
    limited_by = "cap" if before > cap else "collar" if before < collar else None
    steps.append(Step("Before the cap and collar", "fixed + variable + quality premium", before))
    steps.append(
        Step(
            "Total payable",
            f"held between the collar {money(collar)} and the cap {money(cap)}"
            + (f": limited by the {limited_by}" if limited_by else ": within them"),
            total,
        )
    )

    fixed_parts = (
        apportion(fixed, [p.fixed_pence for p in terms.partners])
        if fixed
        else [0 for _ in terms.partners]
    )
    shares = apportion(total - fixed, [p.risk_share_basis_points for p in terms.partners])
    payments = tuple(
        PartnerPayment(partner, f, s)
        for partner, f, s in zip(terms.partners, fixed_parts, shares, strict=True)
    )
    steps.append(
        Step(
            "Gain or loss shared",
            "total - fixed element, split by the risk shares",
            total - fixed,
        )
    )
    return Statement(
        months=months,
        activity=activity,
        baseline=baseline,
        dead_band=band,
        fixed_pence=fixed,
        variable_pence=variable,
        quality=tuple(results),
        premium_pence=premium_total,
        before_limits_pence=before,
        cap_pence=cap,
        collar_pence=collar,
        total_pence=total,
        limited_by=limited_by,
        payments=payments,
        steps=tuple(steps),
    )
