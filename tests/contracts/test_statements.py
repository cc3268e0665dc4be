"""A contract's statement from the standard data, its terms kept by the finance lead, and what
each partner's board may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import staff
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.contracts import actions
from wraparound.contracts.models import Contract, ContractPartner, ContractThreshold
from wraparound.contracts.statements import activity, quality_value, statement
from wraparound.metrics.models import ContactRecord, ReferralRecord

START = dt.date(2026, 4, 1)
_ids = count()


def _contacts(provider: str, month: dt.date, completed: int, missed: int = 0) -> None:
    ContactRecord.objects.bulk_create(
        ContactRecord(
            source_id=f"c{next(_ids)}",
            provider_code=provider,
            team_code="t",
            place_code="p",
            patient_key="k",
            contact_date=month,
            week=month,
            month=month,
            planned=True,
            outcome="completed" if i < completed else "missed",
            duration_minutes=30,
        )
        for i in range(completed + missed)
    )


def _two_hour(provider: str, month: dt.date, fast: int, slow: int) -> None:
    at = timezone.make_aware(dt.datetime.combine(month, dt.time(10)))
    ReferralRecord.objects.bulk_create(
        ReferralRecord(
            source_id=f"r{next(_ids)}",
            provider_code=provider,
            team_code="t",
            place_code="p",
            patient_key="k",
            age=80,
            deprivation_decile=5,
            received_at=at,
            week=month,
            month=month,
            source="gp",
            urgency="2_hour",
            minutes_to_first_contact=90 if i < fast else 200,
            status="closed",
        )
        for i in range(fast + slow)
    )


def make_contract(place, finance) -> Contract:
    """A year's contract between the trust (70% of the risk) and the council (30%), with a
    2-hour response threshold of 70% worth £24,000 a year."""
    made = Contract.objects.create(
        alliance=place.alliance,
        name="Testford community contract",
        year_starting=START,
        fixed_pence=1_200_000_00,
        rate_pence=50_00,
        baseline_activity=1_200,
        dead_band_activity=120,
        cap_pence=1_320_000_00,
        collar_pence=1_080_000_00,
        updated_at=timezone.now(),
        updated_by=finance,
    )
    for organisation, fixed, share in (
        (place.trust, 900_000_00, 7_000),
        (place.council, 300_000_00, 3_000),
    ):
        ContractPartner.objects.create(
            contract=made,
            organisation=organisation,
            fixed_pence=fixed,
            risk_share_basis_points=share,
        )
    ContractThreshold.objects.create(
        contract=made, metric_code="ucr-2-hour", threshold=Decimal("70"), premium_pence=24_000_00
    )
    return made


@pytest.fixture
def contract(place):
    finance = staff("finance", place.trust, "finance_lead")
    place.users["finance"] = finance
    place.users["trust_board"] = staff("trust_board", place.trust, "partner_board")
    place.users["council_board"] = staff("council_board", place.council, "partner_board")
    return make_contract(place, finance)


def test_activity_is_the_partners_completed_contacts_in_the_months(contract):
    _contacts("RTR", START, completed=90, missed=10)
    _contacts("CNC01", dt.date(2026, 5, 1), completed=20)
    _contacts("RTR", dt.date(2026, 7, 1), completed=500)  # after the 3 months
    _contacts("RAM", START, completed=999)  # not a partner
    assert activity(contract, 3) == 110


def test_quality_is_the_standard_metric_over_the_partners_and_months(contract):
    _two_hour("RTR", START, fast=6, slow=4)
    _two_hour("CNC01", dt.date(2026, 5, 1), fast=8, slow=2)
    _two_hour("RAM", START, fast=0, slow=50)  # not a partner
    assert quality_value(contract, "ucr-2-hour", 3) == Decimal("70.0")  # 14 of 20


def test_the_statement_changes_when_quality_crosses_its_threshold(contract):
    _contacts("RTR", START, completed=300)  # the quarter's baseline exactly
    _two_hour("RTR", START, fast=6, slow=4)  # 60%: not met
    before = statement(contract, 3)
    assert before.premium_pence == 0 and before.total_pence == 300_000_00
    _two_hour("RTR", START, fast=4, slow=0)  # 10 of 14: 71.4%, met
    after = statement(contract, 3)
    assert after.premium_pence == 6_000_00  # a quarter of £24,000
    assert [p.share_pence for p in after.payments] == [4_200_00, 1_800_00]


def test_the_finance_lead_changes_the_terms_and_the_change_is_audited(contract, place):
    actions.set_terms(contract_id=contract.pk, by=place.users["finance"], rate_pence=60_00)
    contract.refresh_from_db()
    assert contract.rate_pence == 60_00
    event = AuditEvent.objects.filter(purpose="contract terms changed").get()
    assert event.detail["changes"] == {"rate_pence": {"from": 50_00, "to": 60_00}}


def test_nobody_else_changes_the_terms(contract, place):
    for who in ("trust_board", "nurse", "analyst"):
        with pytest.raises(NoAccess):
            actions.set_terms(contract_id=contract.pk, by=place.users[who], rate_pence=1)
    assert Contract.objects.get(pk=contract.pk).rate_pence == 50_00


def test_terms_that_cannot_be_settled_are_refused_naming_the_term(contract, place):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.set_terms(contract_id=contract.pk, by=place.users["finance"], cap_pence=1)
    assert "cap_pence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.set_terms(
            contract_id=contract.pk,
            by=place.users["finance"],
            thresholds=[actions.ThresholdTerm("routine-days-to-contact", Decimal(5), 1)],
        )
    assert "cannot be added up" in str(refused.value)
    assert ContractThreshold.objects.filter(contract=contract).count() == 1  # rolled back


def test_a_partners_board_sees_the_pool_and_only_its_own_payment(client, contract, place):
    client.force_login(place.users["council_board"])
    body = client.get(
        reverse("contracts:statement", args=[contract.pk]), {"months": 3}
    ).content.decode()
    assert "Total payable" in body
    assert 'data-testid="payment-CNC01"' in body and 'data-testid="payment-RTR"' not in body
    assert "Change the terms" not in body
    client.force_login(place.users["finance"])
    body = client.get(
        reverse("contracts:statement", args=[contract.pk]), {"months": 3}
    ).content.decode()
    assert 'data-testid="payment-CNC01"' in body and 'data-testid="payment-RTR"' in body


def test_the_statement_csv_shows_every_step_and_the_readers_payments(client, contract, place):
    client.force_login(place.users["trust_board"])
    csv = client.get(
        reverse("contracts:statement_csv", args=[contract.pk]), {"months": 12}
    ).content.decode()
    assert "Fixed element" in csv and "Total payable" in csv and "RTR" in csv and "CNC01" not in csv


def test_no_contract_for_those_outside_the_alliance_or_without_the_role(client, contract, place):
    outsider_board = staff("outsider_board", place.outsider, "partner_board")
    client.force_login(outsider_board)
    assert client.get(reverse("contracts:statement", args=[contract.pk])).status_code == 404
    client.force_login(place.users["nurse"])
    assert client.get(reverse("contracts:statement", args=[contract.pk])).status_code == 403


def test_months_out_of_range_name_the_field(client, contract, place):
    client.force_login(place.users["finance"])
    answer = client.get(reverse("contracts:statement", args=[contract.pk]), {"months": "13"})
    assert answer.status_code == 400 and "months" in answer.content.decode()


def test_the_terms_form_saves_in_pounds_and_per_cent(client, contract, place):
    client.force_login(place.users["finance"])
    form = client.get(reverse("contracts:terms", args=[contract.pk])).context["form"]
    data = {n: "" if form[n].value() is None else form[n].value() for n in form.fields}
    threshold = next(n for n in form.fields if n.endswith("_value"))
    data[threshold] = "50"
    saved = client.post(reverse("contracts:terms", args=[contract.pk]), data)
    assert saved.status_code == 302
    assert ContractThreshold.objects.get(contract=contract).threshold == Decimal("50")
    assert Contract.objects.get(pk=contract.pk).fixed_pence == 1_200_000_00


def test_a_months_payment_is_the_year_to_date_less_the_month_before(client, contract, place):
    _contacts("RTR", START, completed=100)
    _contacts("RTR", dt.date(2026, 5, 1), completed=100)
    _contacts("RTR", dt.date(2026, 6, 1), completed=250)  # a busy June: 120 beyond the band
    client.force_login(place.users["council_board"])
    page = client.get(reverse("contracts:statement", args=[contract.pk]), {"months": 3})
    row = page.context["rows"][0]
    may, june = statement(contract, 2), statement(contract, 3)
    assert row.payment.total_pence == june.payments[1].total_pence
    assert row.this_month_pence == june.payments[1].total_pence - may.payments[1].total_pence
    assert row.this_month_pence != june.payments[1].total_pence // 3  # not a flat third
    csv = client.get(
        reverse("contracts:statement_csv", args=[contract.pk]), {"months": 3}
    ).content.decode()
    assert csv.splitlines()[-1].endswith(
        f",{row.payment.total_pence // 100}.{row.payment.total_pence % 100:02d},"
        f"{row.this_month_pence // 100}.{row.this_month_pence % 100:02d}"
    )


def test_the_finance_lead_opens_a_years_contract_with_every_member_sharing_equally(
    client, contract, place
):
    client.force_login(place.users["finance"])
    opened = client.post(
        reverse("contracts:list"),
        {"alliance": place.alliance.pk, "name": "Next year", "year_starting": "2027-04-01"},
    )
    assert opened.status_code == 302
    new = Contract.objects.get(name="Next year")
    shares = list(new.partners.values_list("risk_share_basis_points", flat=True))
    assert len(shares) == place.alliance.members.count() and sum(shares) == 10_000
    assert max(shares) - min(shares) <= 1
    again = client.post(
        reverse("contracts:list"),
        {"alliance": place.alliance.pk, "name": "Twice", "year_starting": "2027-04-01"},
    )
    assert "has a contract for that year" in again.content.decode()
    client.force_login(place.users["council_board"])
    refused = client.post(
        reverse("contracts:list"),
        {"alliance": place.alliance.pk, "name": "Mine", "year_starting": "2028-04-01"},
    )
    assert refused.status_code == 403


def test_a_quality_threshold_is_added_from_the_terms_form(client, contract, place):
    client.force_login(place.users["finance"])
    form = client.get(reverse("contracts:terms", args=[contract.pk])).context["form"]
    data = {n: "" if form[n].value() is None else form[n].value() for n in form.fields}
    data.update(add_metric="visits-as-planned", add_threshold="90", add_premium="")
    missing = client.post(reverse("contracts:terms", args=[contract.pk]), data)
    assert "Give this for the threshold you are adding" in missing.content.decode()
    data["add_premium"] = "12000"
    assert client.post(reverse("contracts:terms", args=[contract.pk]), data).status_code == 302
    added = ContractThreshold.objects.get(contract=contract, metric_code="visits-as-planned")
    assert (added.threshold, added.premium_pence) == (Decimal("90"), 12_000_00)
