"""A contract's statement from the standard data: activity from the contacts extract and
each quality threshold's metric computed the one way (``metrics.compute``), over the
alliance's partners and the months of the year to date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from wraparound.caseload.programmes import add_months
from wraparound.metrics.compute import compute
from wraparound.metrics.models import ContactRecord, ReportingUnit
from wraparound.metrics.registry import Shape, metric

from .arithmetic import Statement, Terms, settle
from .models import Contract

# Quality is read from metrics whose months add up (a numerator over a denominator); a
# median or a mean of months would not be the year's.
ADDABLE = frozenset({Shape.PROPORTION, Shape.RATE})


def year_start(day: dt.date) -> dt.date:
    """The 1 April on or before ``day``: the NHS financial year."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def months_complete(year_starting: dt.date, today: dt.date) -> int:
    """Whole months of the contract year finished by ``today`` (at least 1, at most 12)."""
    done = (today.year - year_starting.year) * 12 + today.month - year_starting.month
    return max(1, min(12, done))


def partner_codes(contract: Contract) -> list[str]:
    return list(contract.partners.values_list("organisation__ods_code", flat=True))


def activity(contract: Contract, months: int, partners: Sequence[str] | None = None) -> int:
    """Completed care contacts by the partners (their ODS codes, read from the contract when
    not given) in the first ``months`` months."""
    return ContactRecord.objects.filter(
        provider_code__in=partner_codes(contract) if partners is None else partners,
        outcome="completed",
        month__gte=contract.year_starting,
        month__lt=add_months(contract.year_starting, months),
    ).count()


def quality_value(
    contract: Contract, code: str, months: int, partners: Sequence[str] | None = None
) -> Decimal | None:
    """The metric over the partners and the months: summed numerators over summed
    denominators, as its definition counts them; None when nothing was counted."""
    m = metric(code)
    codes = set(partner_codes(contract) if partners is None else partners)
    values = [
        v
        for v in compute(
            m,
            ReportingUnit.Kind.PROVIDER,
            "month",
            since=contract.year_starting,
            until=add_months(contract.year_starting, months) - dt.timedelta(days=1),
        )
        if v.unit in codes
    ]
    numerator = sum(Decimal(str(v.numerator)) for v in values)
    denominator = sum(Decimal(str(v.denominator)) for v in values)
    if not denominator:
        return None
    return (numerator / denominator * Decimal(str(m.multiplier))).quantize(Decimal("0.1"))


def statement(contract: Contract, months: int, terms: Terms | None = None) -> Statement:
    """The statement for the first ``months`` months; ``terms`` when the caller has read them
    already (a month's payment needs two statements on the same terms)."""
    terms = terms or contract.terms()
    partners = [p.code for p in terms.partners]
    return settle(
        terms,
        activity=activity(contract, months, partners),
        quality={
            t.metric_code: quality_value(contract, t.metric_code, months, partners)
            for t in terms.thresholds
        },
        months=months,
    )
