"""Contract pages: the statement (the pool, and each partner's payment as the reader may
see it), its CSV, and the finance lead's terms."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.ui.forms import add_errors

from . import actions
from .arithmetic import PartnerPayment, Statement, Terms, pounds
from .forms import OpenContractForm, TermsForm
from .models import Contract
from .statements import months_complete, statement


def _contracts_for(request: HttpRequest) -> list[Contract]:
    staff = staff_of(request.user)
    if staff is None or not has_permission(request.user, Permission.VIEW_CONTRACTS):
        raise PermissionDenied("Your role does not read the alliance's contracts")
    return list(
        Contract.objects.filter(alliance__members=staff.organisation_id).select_related("alliance")
    )


def _contract(request: HttpRequest, contract_id: int) -> Contract:
    for contract in _contracts_for(request):
        if contract.pk == contract_id:
            return contract
    raise Http404("No such contract")


def _seen_payments(request: HttpRequest, result: Statement) -> list[PartnerPayment]:
    """Every partner's for the finance lead; a board its own organisation's only."""
    if has_permission(request.user, Permission.VIEW_ALL_STATEMENTS):
        return list(result.payments)
    staff = staff_of(request.user)
    code = staff.organisation.ods_code if staff else None
    return [p for p in result.payments if p.partner.code == code]


def _months(request: HttpRequest, contract: Contract) -> int:
    raw = request.GET.get("months")
    if raw is None:
        return months_complete(contract.year_starting, timezone.localdate())
    if not raw.isdigit() or not 1 <= int(raw) <= 12:
        raise ValidationError({"months": "months: a whole number from 1 to 12"})
    return int(raw)


@login_required
@require_http_methods(["GET", "POST"])
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = _contracts_for(request)
    staff = staff_of(request.user)
    form = None
    if staff is not None and has_permission(request.user, Permission.EDIT_CONTRACTS):
        form = OpenContractForm(staff.organisation_id, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                opened = actions.open_contract(
                    alliance_id=form.cleaned_data["alliance"].pk,
                    name=form.cleaned_data["name"],
                    year_starting=form.cleaned_data["year_starting"],
                    by=request.user,
                )
            except NoAccess as exc:
                raise PermissionDenied(str(exc)) from exc
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Contract opened. Set its terms.")
                return redirect("contracts:terms", contract_id=opened.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the alliance's finance lead opens contracts")
    return render(request, "contracts/list.html", {"contracts": contracts, "form": form})


@dataclass(frozen=True)
class PaymentRow:
    """A partner's year to date, and what this month adds to it (what is paid this month)."""

    payment: PartnerPayment
    this_month_pence: int


@dataclass(frozen=True)
class Shown:
    contract: Contract
    months: int
    terms: Terms
    result: Statement


def _rows(request: HttpRequest, shown: Shown) -> list[PaymentRow]:
    seen = _seen_payments(request, shown.result)
    if shown.months == 1:
        return [PaymentRow(p, p.total_pence) for p in seen]
    earlier = statement(shown.contract, shown.months - 1, shown.terms)
    before = {p.partner.code: p.total_pence for p in earlier.payments}
    return [PaymentRow(p, p.total_pence - before.get(p.partner.code, 0)) for p in seen]


def _statement_for(request: HttpRequest, contract_id: int) -> Shown:
    contract = _contract(request, contract_id)
    months = _months(request, contract)
    terms = contract.terms()
    result = statement(contract, months, terms)
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        purpose=Purpose.CONTRACT_STATEMENT,
        basis="partner of the alliance",
        detail={"contract_id": contract.pk, "months": months},
    )
    return Shown(contract, months, terms, result)


@login_required
def contract_statement(request: HttpRequest, contract_id: int) -> HttpResponse:
    try:
        shown = _statement_for(request, contract_id)
    except ValidationError as exc:
        return render(
            request, "contracts/bad_request.html", {"problem": exc.messages[0]}, status=400
        )
    return render(
        request,
        "contracts/statement.html",
        {
            "contract": shown.contract,
            "months": shown.months,
            "month_choices": range(1, 13),
            "result": shown.result,
            "rows": _rows(request, shown),
            "all_partners": has_permission(request.user, Permission.VIEW_ALL_STATEMENTS),
            "can_edit": has_permission(request.user, Permission.EDIT_CONTRACTS),
        },
    )


@login_required
def contract_statement_csv(request: HttpRequest, contract_id: int) -> HttpResponse:
    try:
        shown = _statement_for(request, contract_id)
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{shown.contract.pk}-{shown.months}-months.csv"'
    )
    out = csv.writer(response)
    out.writerow(["step", "working", "amount_pounds"])
    for step in shown.result.steps:
        out.writerow([step.label, step.working, "" if step.pence is None else pounds(step.pence)])
    out.writerow([])
    out.writerow(
        [
            "partner",
            "ods_code",
            "fixed_pounds",
            "share_of_gain_or_loss_pounds",
            "year_to_date_pounds",
            "this_month_pounds",
        ]
    )
    for row in _rows(request, shown):
        p = row.payment
        out.writerow(
            [
                p.partner.name,
                p.partner.code,
                pounds(p.fixed_pence),
                pounds(p.share_pence),
                pounds(p.total_pence),
                pounds(row.this_month_pence),
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def contract_terms(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    try:
        actions.check_finance_lead(request.user, contract)
    except NoAccess as exc:
        raise PermissionDenied(str(exc)) from exc
    form = TermsForm(contract, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_terms(contract_id=contract.pk, by=request.user, **form.terms())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Terms saved. The statement below uses them.")
            return redirect("contracts:statement", contract_id=contract.pk)
    return render(request, "contracts/terms.html", {"contract": contract, "form": form})
