"""The hospital's list: received idempotently, ready people kept with a pathway and a
reason, the stay's marks at their boundaries, the sitrep against a hand count, and who sees."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.discharge.conftest import LONDON, TODAY
from tests.factories import PatientFactory
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.discharge.actions import StayReport, receive_stay
from wraparound.discharge.intake import import_hospital_list
from wraparound.discharge.models import HospitalStay
from wraparound.discharge.report import hospital_list, in_hospital
from wraparound.discharge.sitrep import StaySnapshot, day_report
from wraparound.door.policy import decide


def _report(person, **fields) -> StayReport:
    return StayReport(
        encounter_id=fields.pop("encounter_id", "E1"),
        nhs_number=person.nhs_number,
        date_of_birth=person.date_of_birth,
        admitted_at=fields.pop("admitted_at", dt.datetime(2026, 11, 20, 14, 0, tzinfo=LONDON)),
        **fields,
    )


def test_a_person_marked_ready_cannot_be_left_without_a_pathway(hospital):
    with pytest.raises(ValidationError) as refused:
        receive_stay(
            report=_report(hospital["person"], ready_since=TODAY), by=hospital["ward_clerk"]
        )
    assert "pathway" in refused.value.message_dict
    assert not HospitalStay.objects.exists()


def test_a_person_ready_yesterday_and_still_waiting_needs_a_reason(hospital):
    waiting = _report(hospital["person"], ready_since=TODAY - dt.timedelta(days=1), pathway="1")
    with pytest.raises(ValidationError) as refused:
        receive_stay(report=waiting, by=hospital["ward_clerk"])
    assert "delay_reason" in refused.value.message_dict
    ok = _report(
        hospital["person"],
        ready_since=TODAY - dt.timedelta(days=1),
        pathway="1",
        delay_reason="awaiting-home-care",
        delay_since=TODAY - dt.timedelta(days=1),
    )
    stay, outcome = receive_stay(report=ok, by=hospital["ward_clerk"])
    assert outcome == "new" and stay.delay_reason == "awaiting-home-care"


def test_the_database_refuses_a_ready_person_without_a_pathway(hospital):
    stay, _ = receive_stay(report=_report(hospital["person"]), by=hospital["ward_clerk"])
    with pytest.raises(IntegrityError), transaction.atomic():
        HospitalStay.objects.filter(pk=stay.pk).update(ready_since=TODAY)


def test_the_same_report_again_changes_nothing_and_a_change_is_audited(hospital):
    report = _report(hospital["person"], ward="Ward 7")
    first, outcome = receive_stay(report=report, by=hospital["ward_clerk"])
    again, second = receive_stay(report=report, by=hospital["ward_clerk"])
    assert (outcome, second, again.pk) == ("new", "same", first.pk)
    assert AuditEvent.objects.filter(purpose="hospital stay received").count() == 1
    moved = _report(hospital["person"], ward="Ward 9")
    _, third = receive_stay(report=moved, by=hospital["ward_clerk"])
    event = AuditEvent.objects.filter(purpose="hospital stay received").order_by("pk").last()
    assert third == "changed" and event.detail["changes"]["ward"] == {
        "from": "Ward 7",
        "to": "Ward 9",
    }


def test_only_a_hospitals_own_staff_send_its_list(hospital, place):
    with pytest.raises(NoAccess):
        receive_stay(report=_report(hospital["person"]), by=place.users["nurse"])


def _csv(person, *rows: str) -> list[str]:
    header = (
        "encounter_id,nhs_number,date_of_birth,admitted_at,ward,ready_since,pathway,delay_reason,"
        "delay_since,discharge_destination"
    )
    return io.StringIO("\n".join([header, *rows]) + "\n").readlines()


def test_a_repeated_csv_row_changes_nothing_and_a_bad_one_names_its_field(hospital):
    person = hospital["person"]
    good = f"E1,{person.nhs_number},{person.date_of_birth},2026-11-20T14:00:00+00:00,Ward 7,,,,,19"
    bad = f"E2,{person.nhs_number},{person.date_of_birth},2026-11-21T09:00:00+00:00,Ward 7,2026-12-02,5,,,"
    nowhere = (
        f"E3,{person.nhs_number},{person.date_of_birth},2026-11-21T09:00:00+00:00,Ward 7,,,,,23"
    )
    first = import_hospital_list(_csv(person, good, bad, nowhere), by=hospital["ward_clerk"])
    assert (first.new, first.same) == (1, 0)
    assert first.errors[0] == (
        "row 3, pathway: A person ready to leave needs a discharge pathway (0, 1, 2 or 3)"
    )
    assert first.errors[1].startswith("row 4, discharge_destination: '23' is not a discharge")
    again = import_hospital_list(_csv(person, good), by=hospital["ward_clerk"])
    assert (again.new, again.changed, again.same) == (0, 0, 1)
    assert HospitalStay.objects.count() == 1


@pytest.mark.parametrize(("days", "marks"), [(6, ()), (7, (7,)), (20, (7, 14)), (21, (7, 14, 21))])
def test_the_stays_marks_are_reached_on_their_day(hospital, days, marks):
    admitted = dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(23, 30), LONDON)
    receive_stay(
        report=_report(hospital["person"], admitted_at=admitted), by=hospital["ward_clerk"]
    )
    (row,) = hospital_list(in_hospital(hospital["org"]), TODAY)
    assert (row.length_of_stay, row.marks) == (days, marks)


def test_the_sitrep_counts_as_counted_by_hand():
    d = TODAY
    day = dt.timedelta(days=1)
    stays = [
        # Ready since yesterday, pathway 1, waiting for home care, 21 days in: remains.
        StaySnapshot("RHX", d - 21 * day, d - day, "1", "awaiting-home-care"),
        # Ready today, pathway 0, discharged today: counted and discharged.
        StaySnapshot("RHX", d - 3 * day, d, "0", "", d),
        # Ready 5 days ago, pathway 3, 14 days in, waiting for funding: remains.
        StaySnapshot("RHX", d - 14 * day, d - 5 * day, "3", "awaiting-funding"),
        # Meets the criteria, 20 days in: occupies a bed, not counted as ready.
        StaySnapshot("RHX", d - 20 * day),
        # Ready tomorrow's list only: ready_since in the future of d is not ready on d.
        StaySnapshot("RHX", d - 2 * day, d + day, "2"),
        # Another hospital's, and one discharged yesterday: not in this report.
        StaySnapshot("RHY", d - 9 * day, d - day, "1"),
        StaySnapshot("RHX", d - 9 * day, d - 2 * day, "1", "", d - day),
    ]
    report = day_report(stays, "RHX", d)
    assert sum(report.not_meeting_criteria.values()) == 3
    assert dict(report.discharged) == {"0": 1}
    assert dict(report.remaining) == {"1": 1, "3": 1}
    assert report.delayed_bed_days == 2 and report.occupied_beds == 4
    assert report.delayed_rate == pytest.approx(0.5)
    assert report.long_stays == {7: 3, 14: 3, 21: 1}
    assert dict(report.reasons_7) == {"Capacity": 1, "Funding": 1}
    assert dict(report.reasons_14) == {"Capacity": 1, "Funding": 1}
    assert report.delayed_cost_pence(395_00) == 790_00


def test_the_hospitals_own_staff_see_its_inpatients_and_no_one_else_does(hospital, place):
    receive_stay(report=_report(hospital["person"]), by=hospital["ward_clerk"])
    person = hospital["person"]
    assert decide(hospital["ward_clerk"], person).basis == "in a bed of the organisation's hospital"
    assert not decide(hospital["other_hospital"], person).allowed
    assert not decide(place.users["nurse"], person).allowed


def test_the_list_page_and_the_sitrep_csv(client, hospital):
    person = hospital["person"]
    receive_stay(
        report=_report(
            person,
            ready_since=TODAY - dt.timedelta(days=2),
            pathway="2",
            delay_reason="awaiting-community-bed",
            delay_since=TODAY - dt.timedelta(days=2),
        ),
        by=hospital["ward_clerk"],
    )
    client.force_login(hospital["ward_clerk"])
    page = client.get(reverse("discharge:list")).content.decode()
    assert person.family_name in page and "Awaiting a community rehabilitation" in page
    csv_text = client.get(reverse("discharge:sitrep_csv") + f"?date={TODAY}").content.decode()
    header, values = csv_text.splitlines()[:2]
    cells = dict(zip(header.split(","), values.split(","), strict=True))
    assert cells["Remaining: pathway 2"] == "1" and cells["Delayed bed days"] == "1"
    assert cells["Cost of delayed bed days (GBP)"] == "395.00"


def test_a_community_nurse_is_refused_the_hospitals_list(client, place):
    client.force_login(place.users["nurse"])
    assert client.get(reverse("discharge:list")).status_code == 403


def test_the_list_shows_those_ready_and_everyone_in_bed_a_page_further(client, hospital):
    resting = PatientFactory(family_name="Stillpoorly")
    receive_stay(report=_report(resting, encounter_id="E9"), by=hospital["ward_clerk"])
    client.force_login(hospital["ward_clerk"])
    ready_only = client.get(reverse("discharge:list")).content.decode()
    assert "Stillpoorly" not in ready_only and "No one is ready to leave" in ready_only
    everyone = client.get(reverse("discharge:list") + "?all=1").content.decode()
    assert "Stillpoorly" in everyone and "1 in hospital" in everyone


def _ready(person, pathway="1", encounter_id="E1"):
    return _report(
        person,
        encounter_id=encounter_id,
        ready_since=TODAY - dt.timedelta(days=1),
        pathway=pathway,
        delay_reason="awaiting-hub-decision",
        delay_since=TODAY - dt.timedelta(days=1),
    )


def test_the_ward_refers_to_the_hub_through_the_front_door_once_a_need(hospital, place):
    from wraparound.discharge.actions import refer_to_hub
    from wraparound.referrals.models import Referral

    stay, _ = receive_stay(report=_ready(hospital["person"]), by=hospital["ward_clerk"])
    first = refer_to_hub(stay_id=stay.pk, by=hospital["ward_clerk"])
    again = refer_to_hub(stay_id=stay.pk, by=hospital["ward_clerk"])
    assert first.hub_referral_id == again.hub_referral_id
    referral = Referral.objects.get()
    assert referral.source == "hospital_discharge" and referral.needs == ["reablement"]
    # The hub (the coordination centre) now sees the person; the ward's referral holds them.
    assert decide(place.users["spa_coordinator"], hospital["person"]).allowed


def test_pathway_zero_needs_no_referral(hospital):
    from wraparound.discharge.actions import refer_to_hub

    stay, _ = receive_stay(
        report=_ready(hospital["person"], pathway="0"), by=hospital["ward_clerk"]
    )
    with pytest.raises(ValidationError) as refused:
        refer_to_hub(stay_id=stay.pk, by=hospital["ward_clerk"])
    assert "pathway" in refused.value.message_dict


def test_the_hub_worklist_shows_those_referred_the_longest_waiting_first(client, hospital, place):
    from wraparound.discharge.actions import refer_to_hub

    stay, _ = receive_stay(report=_ready(hospital["person"]), by=hospital["ward_clerk"])
    client.force_login(place.users["spa_coordinator"])
    assert (
        hospital["person"].family_name not in client.get(reverse("discharge:hub")).content.decode()
    )
    refer_to_hub(stay_id=stay.pk, by=hospital["ward_clerk"])
    page = client.get(reverse("discharge:hub")).content.decode()
    assert hospital["person"].family_name in page and "Awaiting the care transfer hub" in page
    client.force_login(hospital["ward_clerk"])
    assert client.get(reverse("discharge:hub")).status_code == 403


def test_the_delayed_transfer_rate_is_a_standard_metric_counted_from_the_sitrep(hospital):
    from wraparound.access.actors import System
    from wraparound.discharge.actions import record_hospital_days
    from wraparound.metrics.compute import compute
    from wraparound.metrics.models import HospitalDay

    receive_stay(report=_ready(hospital["person"]), by=hospital["ward_clerk"])
    receive_stay(report=_report(PatientFactory(), encounter_id="E2"), by=hospital["ward_clerk"])
    yesterday = TODAY - dt.timedelta(days=1)
    record_hospital_days(by=System("tests"), first=yesterday, last=yesterday)
    record_hospital_days(by=System("tests"), first=yesterday, last=yesterday)  # again: no double
    day = HospitalDay.objects.get()
    assert (day.occupied_bed_days, day.delayed_bed_days, day.super_stranded) == (2, 1, 0)
    (value,) = compute("delayed-transfers", "provider", "month")
    assert (value.unit, value.value) == ("RHX", 50.0)
    with pytest.raises(NoAccess):
        record_hospital_days(by=hospital["ward_clerk"], first=yesterday, last=yesterday)


def test_the_command_imports_a_list_and_counts_the_days(hospital, tmp_path, capsys):
    from django.core.management import call_command

    from wraparound.metrics.models import HospitalDay

    person = hospital["person"]
    path = tmp_path / "list.csv"
    path.write_text(
        "".join(
            _csv(
                person,
                f"E1,{person.nhs_number},{person.date_of_birth},2026-11-20T14:00:00+00:00,W,,,,",
            )
        )
    )
    call_command("discharge", "import", str(path), "--by", "ward_clerk")
    assert "1 new" in capsys.readouterr().out and HospitalStay.objects.count() == 1
    call_command("discharge", "count-days", "--days", "3")
    assert HospitalDay.objects.count() == 3


def test_the_lists_queries_do_not_grow_with_its_rows(client, hospital):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wraparound.discharge.actions import refer_to_hub

    client.force_login(hospital["ward_clerk"])

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("discharge:list")).status_code == 200
        return len(captured)

    def ready_and_referred(n: int) -> None:
        for i in range(n):
            stay, _ = receive_stay(
                report=_ready(PatientFactory(), encounter_id=f"Q{n}-{i}"),
                by=hospital["ward_clerk"],
            )
            refer_to_hub(stay_id=stay.pk, by=hospital["ward_clerk"])

    ready_and_referred(1)
    one = queries_for_the_list()
    ready_and_referred(4)
    assert queries_for_the_list() == one
