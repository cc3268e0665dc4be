"""An alliance contract's arithmetic, worked by hand, and its properties under hypothesis."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wraparound.contracts.arithmetic import (
    InvalidTerms,
    Partner,
    QualityThreshold,
    Terms,
    apportion,
    settle,
)

TRUST = Partner("RTR", "Community trust", 600_000_00, 5_000)
COUNCIL = Partner("CNC01", "Council", 300_000_00, 3_000)
HOSPICE = Partner("VOL01", "Hospice", 100_000_00, 2_000)
TWO_HOUR = QualityThreshold("ucr-2-hour", "2-hour response", Decimal("70"), True, 20_000_00)


def _terms(**changes: object) -> Terms:
    terms = {
        "fixed_pence": 1_000_000_00,  # £1m a year
        "rate_pence": 50_00,  # £50 a contact
        "baseline_activity": 12_000,
        "dead_band_activity": 600,
        "cap_pence": 1_100_000_00,
        "collar_pence": 900_000_00,
        "partners": (TRUST, COUNCIL, HOSPICE),
        "thresholds": (TWO_HOUR,),
    }
    terms.update(changes)
    return Terms(**terms)  # type: ignore[arg-type]


def test_activity_inside_the_dead_band_moves_no_money():
    statement = settle(_terms(), activity=12_500, quality={"ucr-2-hour": Decimal("65")})
    assert statement.variable_pence == 0
    assert statement.total_pence == 1_000_000_00 and statement.limited_by is None
    assert [p.total_pence for p in statement.payments] == [600_000_00, 300_000_00, 100_000_00]


def test_activity_beyond_the_band_is_paid_only_for_what_lies_beyond_it():
    # 13,000 is 1,000 above the baseline, 400 beyond the 600 band: 400 x £50 = £20,000.
    statement = settle(_terms(), activity=13_000, quality={"ucr-2-hour": Decimal("65")})
    assert statement.variable_pence == 20_000_00
    assert statement.total_pence == 1_020_000_00
    # The £20,000 gain is shared 50:30:20 on top of each fixed amount.
    assert [p.share_pence for p in statement.payments] == [10_000_00, 6_000_00, 4_000_00]


def test_a_met_quality_threshold_earns_its_premium_and_a_missed_one_does_not():
    met = settle(_terms(), activity=12_000, quality={"ucr-2-hour": Decimal("70.0")})
    missed = settle(_terms(), activity=12_000, quality={"ucr-2-hour": Decimal("69.9")})
    unmeasured = settle(_terms(), activity=12_000, quality={})
    assert met.premium_pence == 20_000_00 and met.total_pence == 1_020_000_00
    assert missed.premium_pence == 0 and missed.total_pence == 1_000_000_00
    assert unmeasured.premium_pence == 0
    assert "69.9 against at least 70: not met" in [s.working for s in missed.steps][3]


def test_far_more_activity_is_held_at_the_cap():
    # 20,000 contacts: 7,400 beyond the band x £50 = £370,000, plus the premium.
    statement = settle(_terms(), activity=20_000, quality={"ucr-2-hour": Decimal("80")})
    assert statement.before_limits_pence == 1_390_000_00
    assert statement.total_pence == 1_100_000_00 and statement.limited_by == "cap"
    assert sum(p.total_pence for p in statement.payments) == 1_100_000_00


def test_far_less_activity_is_held_at_the_collar_and_the_loss_is_shared():
    # 6,000 contacts: 5,400 below the band x £50 = -£270,000: £730,000, held at £900,000.
    statement = settle(_terms(), activity=6_000, quality={})
    assert statement.before_limits_pence == 730_000_00
    assert statement.total_pence == 900_000_00 and statement.limited_by == "collar"
    assert [p.share_pence for p in statement.payments] == [-50_000_00, -30_000_00, -20_000_00]


def test_a_month_to_date_takes_every_annual_amount_pro_rata():
    # Three months: fixed £250,000, baseline 3,000 +- 150, cap £275,000, collar £225,000.
    statement = settle(_terms(), activity=3_400, quality={}, months=3)
    assert statement.fixed_pence == 250_000_00
    assert statement.variable_pence == 250 * 50_00  # 400 above, 250 beyond the band
    assert (statement.cap_pence, statement.collar_pence) == (275_000_00, 225_000_00)


def test_a_penny_that_does_not_divide_goes_to_the_largest_remainder():
    assert apportion(100, [1, 1, 1]) == [34, 33, 33]
    assert apportion(-100, [1, 1, 1]) == [-34, -33, -33]
    assert apportion(7, [5_000, 3_000, 2_000]) == [4, 2, 1]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cap_pence": 800_000_00}, "cap_pence"),
        ({"partners": (TRUST, COUNCIL)}, "partners"),  # fixed amounts no longer add up
        ({"partners": (TRUST, COUNCIL, HOSPICE, TRUST)}, "partners"),
        ({"rate_pence": -1}, "rate_pence"),
    ],
)
def test_terms_that_cannot_be_right_are_refused_naming_the_term(changes, field):
    with pytest.raises(InvalidTerms) as refused:
        settle(_terms(**changes), activity=1, quality={})
    assert refused.value.field == field


def test_risk_shares_that_do_not_make_a_whole_are_refused():
    lopsided = (TRUST, COUNCIL, Partner("VOL01", "Hospice", 100_000_00, 1_999))
    with pytest.raises(InvalidTerms, match="100%"):
        settle(_terms(partners=lopsided), activity=1, quality={})


@st.composite
def contracts(draw: st.DrawFn) -> tuple[Terms, int, int, Decimal]:
    count = draw(st.integers(1, 6))
    fixed_parts = draw(st.lists(st.integers(0, 10**9), min_size=count, max_size=count))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    partners = tuple(
        Partner(f"P{i}", f"Partner {i}", f, s)
        for i, (f, s) in enumerate(zip(fixed_parts, shares, strict=True))
    )
    fixed = sum(fixed_parts)
    collar = draw(st.integers(0, 2 * fixed + 10**6))
    cap = draw(st.integers(collar, collar + 2 * fixed + 10**6))
    threshold = QualityThreshold(
        "m", "metric", Decimal(draw(st.integers(0, 100))), True, draw(st.integers(0, 10**8))
    )
    terms = Terms(
        fixed_pence=fixed,
        rate_pence=draw(st.integers(0, 10**5)),
        baseline_activity=draw(st.integers(0, 10**6)),
        dead_band_activity=draw(st.integers(0, 10**4)),
        cap_pence=cap,
        collar_pence=collar,
        partners=partners,
        thresholds=(threshold,),
    )
    return (
        terms,
        draw(st.integers(0, 2 * 10**6)),
        draw(st.integers(1, 12)),
        Decimal(draw(st.integers(0, 100))),
    )


@given(contracts())
def test_the_partners_always_share_the_whole_total_to_the_penny_within_cap_and_collar(case):
    terms, activity, months, value = case
    statement = settle(terms, activity=activity, quality={"m": value}, months=months)
    assert sum(p.total_pence for p in statement.payments) == statement.total_pence
    assert statement.collar_pence <= statement.total_pence <= statement.cap_pence
    assert sum(p.fixed_pence for p in statement.payments) == statement.fixed_pence
