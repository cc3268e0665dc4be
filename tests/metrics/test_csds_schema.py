"""The CSDS-style tables check each value column by column and name the row and column."""

from __future__ import annotations

import pytest

from wraparound.metrics.csds.schema import (
    CYP101,
    CYP201,
    TABLES,
    Problem,
    table_named,
    validate_rows,
)


def contact(**changes):
    row = {
        "CareContactId": "12",
        "ServiceRequestId": "",
        "LocalPatientId": "0123456789abcdef0123456789abcdef",
        "OrgID_Provider": "RTR",
        "TeamIDLocal": "nursing",
        "CareContDate": "2026-11-02",
        "CareContTime": "09:30:00",
        "ClinContDurOfCareCont": "30",
        "ConsMechanismCode": "01",
        "ActLocTypeCode": "A01",
        "AttendOrDNACode": "5",
        "PlannedCareContIndicator": "Y",
    }
    row.update(changes)
    return row


def test_a_good_contact_has_no_problems():
    assert validate_rows(CYP201, [contact()]) == []


def test_every_bad_value_is_reported_by_row_and_column():
    rows = [
        contact(),
        contact(ClinContDurOfCareCont=-5),
        contact(AttendOrDNACode="9", CareContDate=""),
    ]
    problems = validate_rows("CYP201CareContact", rows)
    assert problems == [
        Problem(3, "ClinContDurOfCareCont", "-5 is less than the minimum, 1"),
        Problem(4, "CareContDate", "is required"),
        Problem(4, "AttendOrDNACode", "'9' is not one of the codes 2, 3, 4, 5, 6, 7"),
    ]
    assert str(problems[0]) == "row 3, ClinContDurOfCareCont: -5 is less than the minimum, 1"


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("CareContDate", "2026-02-30", "is not a real date"),
        ("CareContDate", "02/11/2026", "is not a date (YYYY-MM-DD)"),
        ("CareContTime", "9:30", "is not a time (HH:MM:SS)"),
        ("ClinContDurOfCareCont", "half an hour", "is not a whole number"),
        ("ClinContDurOfCareCont", "1441", "more than the maximum"),
        ("LocalPatientId", "9434765919", "does not match the pattern"),
        ("TeamIDLocal", "x" * 61, "at most 60 characters"),
        ("PlannedCareContIndicator", "yes", "is not one of the codes Y, N"),
    ],
)
def test_each_kind_of_value_is_checked(column, value, reason):
    [problem] = validate_rows(CYP201, [contact(**{column: value})])
    assert problem.row == 2
    assert problem.column == column
    assert reason in problem.reason


def test_an_optional_column_may_be_blank_but_a_stray_column_is_reported():
    assert validate_rows(CYP201, [contact(ClinContDurOfCareCont="", ServiceRequestId=None)]) == []
    [problem] = validate_rows(CYP201, [contact(NHSNumber="9434765919")])
    assert problem == Problem(2, "NHSNumber", "is not a column of CYP201CareContact")


def test_a_referral_with_a_missing_received_date_and_unknown_priority_is_refused():
    row = dict.fromkeys(CYP101.column_names, "")
    row.update(
        LocalPatientId="0123456789abcdef0123456789abcdef",
        OrgID_Provider="RTR",
        ServiceRequestId="4",
        ReferralRequestReceivedTime="10:00:00",
        SourceOfReferralForCommunity="A1",
        PriorityTypeCode="4",
        PrimaryReferralReason="fall",
    )
    assert [(p.column, p.reason) for p in validate_rows(CYP101, [row])] == [
        ("ReferralRequestReceivedDate", "is required"),
        ("PriorityTypeCode", "'4' is not one of the codes 1, 2, 3"),
    ]


def test_tables_are_found_by_name_or_by_their_cyp_number():
    assert set(TABLES) == {
        "CYP101Referral",
        "CYP102ServiceTypeReferredTo",
        "CYP104RTT",
        "CYP201CareContact",
    }
    assert table_named("cyp104").name == "CYP104RTT"
    assert table_named("CYP201CareContact") is CYP201
    with pytest.raises(KeyError, match="not a table"):
        table_named("CYP999")


def test_every_referral_source_has_a_code_in_the_list():
    from wraparound.metrics.csds.schema import SOURCE_CODE, SOURCE_OF_REFERRAL
    from wraparound.referrals.models import Source

    assert set(SOURCE_CODE) == set(Source.values)
    assert set(SOURCE_CODE.values()) <= set(SOURCE_OF_REFERRAL)
