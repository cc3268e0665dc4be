"""Each CSDS-style table exports the provider's rows for the period, pseudonymised, checked,
permitted only to metrics roles, and audited once."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PatientFactory
from tests.metrics import csds_fixtures
from tests.metrics.csds_fixtures import period
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.caseload.models import Patient, Visit
from wraparound.metrics.csds.export import export_table, patient_key, primary_need
from wraparound.metrics.csds.schema import TABLES, Problem
from wraparound.referrals import actions
from wraparound.referrals.models import Referral

history = csds_fixtures.history


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def export(h, table, by="analyst"):
    text, problems = export_table(table, *period(h), by=h.place.users[by])
    assert problems == []
    return rows_of(text)


def test_referrals_are_the_ones_offered_to_the_providers_teams(history):
    h = history
    rows = {row["ServiceRequestId"]: row for row in export(h, "CYP101Referral")}
    fall, wound, reable = (h.referrals[n] for n in ["fall", "wound", "reable"])
    assert set(rows) == {str(fall.pk), str(wound.pk), str(reable.pk)}  # not the council's
    received = timezone.localtime(fall.received_at)
    assert rows[str(fall.pk)] == {
        "LocalPatientId": patient_key(h.people["fall"].pk),
        "OrgID_Provider": "RTR",
        "ServiceRequestId": str(fall.pk),
        "ReferralRequestReceivedDate": received.date().isoformat(),
        "ReferralRequestReceivedTime": f"{received:%H:%M:%S}",
        "SourceOfReferralForCommunity": "A1",
        # A 2-hour crisis response is "2", Urgent: "3" is Two Week Wait (issue 11, item 9).
        "PriorityTypeCode": "2",
        "PrimaryReferralReason": "fall",
        "ServDischDate": h.today.isoformat(),
        "ReferClosReason": "01",
    }
    # Declined here and redirected to the council: the trust's part ended, reason 03.
    assert rows[str(wound.pk)]["PriorityTypeCode"] == "1"
    assert rows[str(wound.pk)]["ServDischDate"] == h.today.isoformat()
    assert rows[str(wound.pk)]["ReferClosReason"] == "03"
    # Still offered: open.
    assert rows[str(reable.pk)]["PriorityTypeCode"] == "2"
    assert rows[str(reable.pk)]["ServDischDate"] == rows[str(reable.pk)]["ReferClosReason"] == ""


def test_each_offer_to_a_team_is_a_service_type_row_closed_by_decline_or_completion(history):
    h = history
    rows = export(h, "CYP102ServiceTypeReferredTo")
    today = h.today.isoformat()
    by_request = {row["ServiceRequestId"]: row for row in rows}
    assert len(rows) == 3  # the council's team's offers are the council's
    assert by_request[str(h.referrals["fall"].pk)] == {
        "ServiceRequestId": str(h.referrals["fall"].pk),
        "TeamIDLocal": "ucr",
        "ServTypeReferredTo": "urgent_community_response",
        "ReferralOfferedDate": today,
        "ReferralRejectionDate": "",
        "ReferralRejectionReason": "",
        "ReferClosureDate": today,
    }
    wound = by_request[str(h.referrals["wound"].pk)]
    assert (wound["TeamIDLocal"], wound["ReferralRejectionDate"]) == ("nursing", today)
    assert wound["ReferralRejectionReason"] == "01"  # the free-text reason stays here
    reable = by_request[str(h.referrals["reable"].pk)]
    assert reable["ReferralRejectionDate"] == reable["ReferClosureDate"] == ""


def test_urgent_clocks_start_at_receipt_and_stop_at_the_first_completed_visit(history):
    h = history
    rows = {row["ServiceRequestId"]: row for row in export(h, "CYP104RTT")}
    fall, reable = h.referrals["fall"], h.referrals["reable"]
    assert set(rows) == {str(fall.pk), str(reable.pk)}  # the routine one has no UCR clock
    stopped = timezone.localtime(h.visits["ucr"].finished_at)
    assert rows[str(fall.pk)] == {
        "ServiceRequestId": str(fall.pk),
        "UCRMeasurementType": "05",
        "ClockStartDateTime": f"{timezone.localtime(fall.received_at):%Y-%m-%dT%H:%M:%S}",
        "ClockStopDateTime": f"{stopped:%Y-%m-%dT%H:%M:%S}",
        "ResponseStandardMet": "Y",
    }
    # The 2-day clock is still running and not yet due: neither met nor missed.
    assert rows[str(reable.pk)]["UCRMeasurementType"] == "06"
    assert rows[str(reable.pk)]["ClockStopDateTime"] == ""
    assert rows[str(reable.pk)]["ResponseStandardMet"] == ""


def test_care_contacts_are_the_providers_finished_visits_with_their_outcome(history):
    h = history
    rows = {row["CareContactId"]: row for row in export(h, "CYP201CareContact")}
    v = h.visits
    assert set(rows) == {
        str(v[n].pk) for n in ["ucr", "planned_attended", "missed", "cancelled"]
    }  # not the visit still to be made, nor the council's
    ucr = rows[str(v["ucr"].pk)]
    assert ucr == {
        "CareContactId": str(v["ucr"].pk),
        "ServiceRequestId": str(h.referrals["fall"].pk),
        "LocalPatientId": patient_key(h.people["fall"].pk),
        "OrgID_Provider": "RTR",
        "TeamIDLocal": "ucr",
        "CareContDate": h.today.isoformat(),
        "CareContTime": f"{timezone.localtime(v['ucr'].window_start):%H:%M:%S}",
        "ClinContDurOfCareCont": "45",
        "ConsMechanismCode": "01",
        "ActLocTypeCode": "A01",
        "AttendOrDNACode": "5",
        "PlannedCareContIndicator": "N",
    }
    planned = rows[str(v["planned_attended"].pk)]
    assert (planned["ServiceRequestId"], planned["PlannedCareContIndicator"]) == ("", "Y")
    assert rows[str(v["missed"].pk)]["AttendOrDNACode"] == "3"
    assert rows[str(v["missed"].pk)]["ClinContDurOfCareCont"] == ""
    assert rows[str(v["cancelled"].pk)]["AttendOrDNACode"] == "4"


@pytest.mark.parametrize(
    ("reason", "code"),
    [("no_answer", "3"), ("declined", "2"), ("cancelled_by_family", "2"), ("unsafe", "4")],
)
def test_a_missed_visit_carries_the_national_attendance_code_its_coded_reason_implies(
    history, reason, code
):
    # 2: stopped by the person or their family; 3: nobody in, no warning; 4: the team's call.
    missed = history.visits["missed"]
    Visit.objects.filter(pk=missed.pk).update(missed_reason=reason)
    rows = {row["CareContactId"]: row for row in export(history, "CYP201CareContact")}
    assert rows[str(missed.pk)]["AttendOrDNACode"] == code


def test_the_period_bounds_the_rows(history):
    h = history
    tomorrow = h.today + dt.timedelta(days=1)
    for table in TABLES:
        text, problems = export_table(table, tomorrow, tomorrow, by=h.place.users["analyst"])
        assert problems == []
        assert rows_of(text) == []
        assert text.startswith(",".join(TABLES[table].column_names) + "\r\n")


@pytest.mark.parametrize("table", list(TABLES))
def test_no_nhs_number_or_name_ever_appears(history, table):
    h = history
    text, _ = export_table(table, *period(h), by=h.place.users["analyst"])
    assert len(rows_of(text)) > 0
    for person in Patient.objects.all():
        assert person.nhs_number not in text
        assert person.family_name not in text
        assert person.postcode not in text
    assert "Edna" not in text
    assert "known to the council" not in text  # the decline's free text


def test_a_malformed_value_is_reported_by_row_and_column_and_nothing_is_released(history):
    h = history
    Visit.objects.filter(pk=h.visits["planned_attended"].pk).update(duration_minutes=0)
    before = AuditEvent.objects.count()
    text, problems = export_table("CYP201CareContact", *period(h), by=h.place.users["analyst"])
    assert text == ""
    # Row 2 is the UCR visit (earlier window); the nursing visit is row 3.
    assert problems == [Problem(3, "ClinContDurOfCareCont", "0 is less than the minimum, 1")]
    assert AuditEvent.objects.count() == before


def test_a_clinician_may_not_export_but_a_team_leader_may(history):
    h = history
    with pytest.raises(NoAccess):
        export_table("CYP101Referral", *period(h), by=h.place.users["nurse"])
    with pytest.raises(NoAccess):
        export_table("CYP101Referral", *period(h), by=h.place.users["privacy"])
    assert len(export(h, "CYP101Referral", by="ucr_leader")) == 3


def test_each_export_writes_exactly_one_audit_event(history):
    h = history
    before = AuditEvent.objects.count()
    export(h, "CYP104RTT")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1
    [event] = events
    start, end = period(h)
    assert (event.action, event.purpose, event.username) == (
        "export",
        "CSDS export",
        "analyst",
    )
    assert event.patient_id_at_event is None
    assert event.detail == {
        "table": "CYP104RTT",
        "rows": 2,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "provider": "RTR",
    }


def test_a_bad_table_or_a_backwards_period_is_refused_naming_the_field(history):
    h = history
    start, end = period(h)
    with pytest.raises(ValidationError) as exc:
        export_table("CYP999", start, end, by=h.place.users["analyst"])
    assert "table" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        export_table("CYP101", end, start, by=h.place.users["analyst"])
    assert "to" in exc.value.message_dict


def test_patient_keys_are_stable_distinct_and_keyed_by_the_secret(settings):
    assert patient_key(1) == patient_key(1) != patient_key(2)
    assert len(patient_key(1)) == 32
    first = patient_key(1)
    settings.SECRET_KEY = "another-secret-" * 4
    assert patient_key(1) != first


def test_the_primary_reason_is_the_need_that_drove_triage():
    assert primary_need(["wound_care", "fall"]) == "fall"
    assert primary_need(["continence", "reablement"]) == "reablement"
    assert primary_need(["continence", "wound_care"]) == "wound_care"
    assert primary_need([]) == ""


def test_an_urgent_referral_declined_here_is_not_on_our_clock_and_a_late_one_is_not_met(
    history,
):
    h = history
    users = h.place.users
    declined = csds_fixtures.send(h.place, h.people["council"], ["confusion_delirium"])
    actions.offer_to_team(referral_id=declined.pk, team_id=h.place.ucr.pk, by=users["coordinator"])
    actions.decline_referral(
        referral_id=declined.pk,
        reason="No capacity",
        redirect_to_team_id=h.place.social_care.pk,
        by=users["ucr_leader"],
    )
    late = csds_fixtures.send(h.place, h.people["caseload"], ["urgent_catheter"])
    actions.offer_to_team(referral_id=late.pk, team_id=h.place.ucr.pk, by=users["coordinator"])
    Referral.objects.filter(pk=late.pk).update(
        received_at=late.received_at - dt.timedelta(hours=3),
        due_at=late.due_at - dt.timedelta(hours=3),
    )
    rows = {row["ServiceRequestId"]: row for row in export(h, "CYP104RTT")}
    assert str(declined.pk) not in rows
    assert rows[str(late.pk)]["ClockStopDateTime"] == ""
    assert rows[str(late.pk)]["ResponseStandardMet"] == "N"


@pytest.mark.parametrize("table", list(TABLES))
def test_the_number_of_queries_does_not_grow_with_the_rows(history, table):
    h = history

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            text, _ = export_table(table, *period(h), by=h.place.users["analyst"])
        assert len(rows_of(text)) > 0
        return len(captured)

    before = queries()
    for _ in range(3):
        person = PatientFactory()
        urgent = csds_fixtures.send(h.place, person, ["fall"])
        actions.offer_to_team(
            referral_id=urgent.pk, team_id=h.place.ucr.pk, by=h.place.users["coordinator"]
        )
        csds_fixtures.visit(person, h.place.ucr, "completed")
    assert queries() == before
