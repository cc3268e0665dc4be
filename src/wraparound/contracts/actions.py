"""Every change to a contract: its terms, by the alliance's finance lead only. Audited with
each changed term's value before and after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.metrics.registry import BY_CODE
from wraparound.organisations.models import Alliance

from .arithmetic import WHOLE, InvalidTerms, apportion
from .models import Contract, ContractPartner, ContractThreshold
from .statements import ADDABLE

MONEY_FIELDS = ("fixed_pence", "rate_pence", "cap_pence", "collar_pence")
ACTIVITY_FIELDS = ("baseline_activity", "dead_band_activity")


@dataclass(frozen=True)
class PartnerPart:
    organisation_id: int
    fixed_pence: int
    risk_share_basis_points: int


@dataclass(frozen=True)
class ThresholdTerm:
    metric_code: str
    threshold: Decimal
    premium_pence: int


def _is_finance_lead_of(by: Actor, alliance: Alliance) -> bool:
    staff = staff_of(by)
    return (
        staff is not None
        and has_permission(by, Permission.EDIT_CONTRACTS)
        and alliance.members.filter(pk=staff.organisation_id).exists()
    )


def check_finance_lead(by: Actor, contract: Contract) -> None:
    """The finance lead of an organisation in the contract's alliance, and nobody else."""
    if not _is_finance_lead_of(by, contract.alliance):
        raise NoAccess("Only the alliance's finance lead changes a contract's terms")


def _snapshot(contract: Contract) -> dict[str, Any]:
    return {
        **{f: getattr(contract, f) for f in (*MONEY_FIELDS, *ACTIVITY_FIELDS)},
        "partners": {
            p.organisation.ods_code: [p.fixed_pence, p.risk_share_basis_points]
            for p in contract.partners.select_related("organisation").order_by("pk")
        },
        "thresholds": {
            t.metric_code: [str(t.threshold), t.premium_pence]
            for t in contract.thresholds.order_by("pk")
        },
    }


@transaction.atomic
def open_contract(*, alliance_id: int, name: str, year_starting: dt.date, by: Actor) -> Contract:
    """A new year's contract for the alliance, every member a partner with an equal share of
    the risk and nothing yet in money: the finance lead then sets the terms."""
    require_actor(by)
    alliance = Alliance.objects.filter(pk=alliance_id).first()
    if alliance is None:
        raise ValidationError({"alliance": "No such alliance"})
    if not _is_finance_lead_of(by, alliance):
        raise NoAccess("Only the alliance's finance lead opens its contracts")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the contract a name"})
    if year_starting.day != 1:
        raise ValidationError({"year_starting": "A contract year starts on the first of a month"})
    if Contract.objects.filter(alliance=alliance, year_starting=year_starting).exists():
        raise ValidationError({"year_starting": "The alliance has a contract for that year"})
    contract = Contract.objects.create(
        alliance=alliance,
        name=name[:200],
        year_starting=year_starting,
        fixed_pence=0,
        rate_pence=0,
        baseline_activity=0,
        cap_pence=0,
        collar_pence=0,
        updated_at=timezone.now(),
        updated_by=by,
    )
    members = list(alliance.members.order_by("name"))
    shares = apportion(WHOLE, [1] * len(members))
    ContractPartner.objects.bulk_create(
        ContractPartner(contract=contract, organisation=m, fixed_pence=0, risk_share_basis_points=s)
        for m, s in zip(members, shares, strict=True)
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.CONTRACT_TERMS_CHANGED,
        basis="alliance finance lead",
        detail={"contract_id": contract.pk, "changes": audit.changes({}, _snapshot(contract))},
    )
    return contract


@transaction.atomic
def set_terms(
    *,
    contract_id: int,
    by: Actor,
    partners: list[PartnerPart] | None = None,
    thresholds: list[ThresholdTerm] | None = None,
    **terms: int,
) -> Contract:
    """Change a contract's terms; refused, naming the term, if they could not be settled."""
    require_actor(by)
    contract = Contract.objects.select_for_update().filter(pk=contract_id).first()
    if contract is None:
        raise ValidationError({"contract": "No such contract"})
    check_finance_lead(by, contract)
    unknown = set(terms) - {*MONEY_FIELDS, *ACTIVITY_FIELDS}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "is not a term of a contract"})
    before = _snapshot(contract)
    for name, value in terms.items():
        setattr(contract, name, value)
    if partners is not None:
        members = set(contract.alliance.members.values_list("pk", flat=True))
        if any(p.organisation_id not in members for p in partners):
            raise ValidationError({"partners": "Every partner must be a member of the alliance"})
        contract.partners.all().delete()
        ContractPartner.objects.bulk_create(
            ContractPartner(contract=contract, **vars(p)) for p in partners
        )
    if thresholds is not None:
        for t in thresholds:
            if t.metric_code not in BY_CODE:
                raise ValidationError({"thresholds": f"No standard metric {t.metric_code!r}"})
            if BY_CODE[t.metric_code].shape not in ADDABLE:
                raise ValidationError(
                    {"thresholds": f"{BY_CODE[t.metric_code].name} cannot be added up over months"}
                )
        contract.thresholds.all().delete()
        ContractThreshold.objects.bulk_create(
            ContractThreshold(contract=contract, **vars(t)) for t in thresholds
        )
    try:
        contract.terms().check()
    except InvalidTerms as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    contract.updated_at = timezone.now()
    contract.updated_by = by
    contract.save()
    after = _snapshot(contract)
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=Purpose.CONTRACT_TERMS_CHANGED,
        basis="alliance finance lead",
        detail={"contract_id": contract.pk, "changes": audit.changes(before, after)},
    )
    return contract
