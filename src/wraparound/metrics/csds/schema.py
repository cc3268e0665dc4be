"""The four CSDS-style tables we export, column by column, and the check every row must pass.

Names follow the Community Services Data Set's data items (``CYP101Referral``,
``ServiceRequestId``, ``CareContDate`` ...). Each code list below says whether it is the
national list, checked against the NHS Data Model and Dictionary release the schema names
(``DATA_DICTIONARY``), or ours in the CSDS spirit, to be mapped before a real submission.

Values are checked as the text written to the CSV: dates ``YYYY-MM-DD``, times
``HH:MM:SS`` and date-times ``YYYY-MM-DDTHH:MM:SS``, all local (Europe/London).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from wraparound.organisations.models import ServiceKind
from wraparound.referrals.models import Need


class Kind(StrEnum):
    STRING = "string"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    INTEGER = "integer"
    CODE = "code"


# --- Code lists -------------------------------------------------------------------------

# Checked against the list the schema names (DATA_DICTIONARY): PRIORITY TYPE CODE's
# national codes are 1 Routine, 2 Urgent, 3 Two Week Wait. "3" is the suspected-cancer
# pathway, never a 2-hour crisis response: both urgent community responses are 2, Urgent.
DATA_DICTIONARY = "NHS Data Model and Dictionary, June 2026 release"
PRIORITY_TYPE = {"1": "Routine", "2": "Urgent", "3": "Two Week Wait"}

# Local codes in the style of the national "source of referral" list (letter for the sector,
# digit for the kind); unconfirmed against the national list.
SOURCE_OF_REFERRAL = {
    "A1": "Primary health care: general medical practitioner",
    "B1": "Self or family referral",
    "C1": "Local authority social services",
    "H2": "Acute secondary care: hospital discharge",
    "N3": "NHS 111",
    "M9": "Ambulance service",
    "X1": "Other",
}
# Our referral sources (``referrals.models.Source``) to those codes.
SOURCE_CODE: dict[str, str] = {
    "gp": "A1",
    "self": "B1",
    "social_care": "C1",
    "hospital_discharge": "H2",
    "nhs_111": "N3",
    "ambulance": "M9",
    "other": "X1",
}

# Local: our presenting-need codes stand in for the primary reason for referral.
REFERRAL_REASON = {str(value): str(label) for value, label in Need.choices}

# Local: how the provider's part in a referral ended.
REFERRAL_CLOSURE_REASON = {
    "01": "Care completed: discharged from the service",
    "02": "Returned to the referrer without care from this provider",
    "03": "Declined by this provider and redirected to another",
}

# Local: our service kinds stand in for the national service type list.
SERVICE_TYPE = {str(value): str(label) for value, label in ServiceKind.choices}

# Local: the free-text reason stays in Wraparound (it may name people); only this code leaves.
REJECTION_REASON = {"01": "Declined by the team (reason recorded locally)"}

# National CYP104 measurement types for urgent community response: 05 is the 2-hour and
# 06 the 2-day standard. The reference marks both UNCONFIRMED AT SOURCE: check the CSDS
# technical output specification before a real submission.
UCR_MEASUREMENT_TYPE = {"05": "UCR 2-hour crisis response", "06": "UCR 2-day reablement"}

YES_NO = {"Y": "Yes", "N": "No"}

# National CONSULTATION MECHANISM (COMMUNITY CARE), the permitted codes for the Community
# Services Data Set, checked against the list the schema names (DATA_DICTIONARY). A home
# visit is 01, face to face; a telephone call 02; a video call 11.
CONSULTATION_MECHANISM = {
    "01": "Face to face",
    "02": "Telephone",
    "04": "Talk type for a PERSON unable to speak",
    "05": "Email",
    "09": "Text message (Asynchronous)",
    "10": "Instant messaging (Synchronous)",
    "11": "Video consultation",
    "12": "Message board (Asynchronous)",
    "13": "Chat room (Synchronous)",
    "98": "Other (not listed)",
}

# National ACTIVITY LOCATION TYPE CODE, checked against the Data Dictionary's list
# (change request 1763, 2020): A01 is "PATIENT's Home".
ACTIVITY_LOCATION_TYPE = {"A01": "PATIENT's Home"}

# National ATTENDED OR DID NOT ATTEND CODE, checked against the list the schema names
# (DATA_DICTIONARY). A visit done is 5; a person not in, with no warning, 3 (7 is "arrived
# late and could not be seen", a clinic's code, not a missed home visit); a visit the person
# cancelled 2; one the provider cancelled 4. 0 ("occurs in the future") never leaves: only
# visits that happened or were missed are exported.
ATTENDANCE = {
    "2": "APPOINTMENT cancelled by, or on behalf of, the PATIENT",
    "3": "Did not attend - no advance warning given",
    "4": "APPOINTMENT cancelled or postponed by the Health Care Provider",
    "5": "Attended on time or, if late, before the CARE PROFESSIONAL was ready to see the PATIENT",
    "6": "Arrived late, after the CARE PROFESSIONAL was ready to see the PATIENT, but was seen",
    "7": "PATIENT arrived late and could not be seen",
}

# --- Columns and tables -----------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_INTEGER = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Column:
    """One column: its kind, whether it must have a value, and what the value may be."""

    name: str
    kind: Kind
    required: bool = True
    max_length: int | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None
    meaning: str = ""

    def problem(self, value: object) -> str:
        """Why ``value`` does not fit this column, in words; empty when it fits."""
        text = "" if value is None else str(value)
        if text == "":
            return "is required" if self.required else ""
        if self.max_length is not None and len(text) > self.max_length:
            return f"must be at most {self.max_length} characters"
        return _CHECKS[self.kind](self, text)


def _string(column: Column, text: str) -> str:
    if column.pattern and not re.fullmatch(column.pattern, text):
        return f"'{text}' does not match the pattern {column.pattern}"
    return ""


def _parsed(text: str, shape: re.Pattern[str], parse: object, form: str) -> str:
    if not shape.fullmatch(text):
        return f"'{text}' is not {form}"
    try:
        parse(text)  # type: ignore[operator]
    except ValueError:
        return f"'{text}' is not a real {form.split()[1]}"
    return ""


def _date(column: Column, text: str) -> str:
    return _parsed(text, _DATE, dt.date.fromisoformat, "a date (YYYY-MM-DD)")


def _time(column: Column, text: str) -> str:
    return _parsed(text, _TIME, dt.time.fromisoformat, "a time (HH:MM:SS)")


def _datetime(column: Column, text: str) -> str:
    return _parsed(text, _DATETIME, dt.datetime.fromisoformat, "a date-time (YYYY-MM-DDTHH:MM:SS)")


def _integer(column: Column, text: str) -> str:
    if not _INTEGER.fullmatch(text):
        return f"'{text}' is not a whole number"
    number = int(text)
    if column.minimum is not None and number < column.minimum:
        return f"{number} is less than the minimum, {column.minimum}"
    if column.maximum is not None and number > column.maximum:
        return f"{number} is more than the maximum, {column.maximum}"
    return ""


def _code(column: Column, text: str) -> str:
    if text not in column.codes:
        return f"'{text}' is not one of the codes {', '.join(column.codes)}"
    return ""


_CHECKS = {
    Kind.STRING: _string,
    Kind.DATE: _date,
    Kind.TIME: _time,
    Kind.DATETIME: _datetime,
    Kind.INTEGER: _integer,
    Kind.CODE: _code,
}


@dataclass(frozen=True)
class Table:
    name: str
    meaning: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _patient() -> Column:
    return Column(
        "LocalPatientId",
        Kind.STRING,
        pattern=r"[0-9a-f]{32}",
        meaning="pseudonymised key: a keyed hash of our record, never the NHS number",
    )


def _provider() -> Column:
    return Column("OrgID_Provider", Kind.STRING, pattern=r"[A-Z0-9]{3,8}", meaning="ODS code")


def _service_request(*, required: bool = True) -> Column:
    return Column(
        "ServiceRequestId", Kind.INTEGER, required=required, minimum=1, meaning="our referral id"
    )


def _team() -> Column:
    return Column("TeamIDLocal", Kind.STRING, max_length=60, pattern=r"[-a-zA-Z0-9_]+")


CYP101 = Table(
    "CYP101Referral",
    "One row per referral received in the period and offered to one of the provider's teams",
    (
        _patient(),
        _provider(),
        _service_request(),
        Column("ReferralRequestReceivedDate", Kind.DATE),
        Column("ReferralRequestReceivedTime", Kind.TIME),
        Column("SourceOfReferralForCommunity", Kind.CODE, codes=SOURCE_OF_REFERRAL),
        Column("PriorityTypeCode", Kind.CODE, codes=PRIORITY_TYPE),
        Column("PrimaryReferralReason", Kind.CODE, codes=REFERRAL_REASON),
        Column("ServDischDate", Kind.DATE, required=False),
        Column("ReferClosReason", Kind.CODE, required=False, codes=REFERRAL_CLOSURE_REASON),
    ),
)

CYP102 = Table(
    "CYP102ServiceTypeReferredTo",
    "One row per offer of a referral (received in the period) to one of the provider's teams",
    (
        _service_request(),
        _team(),
        Column("ServTypeReferredTo", Kind.CODE, codes=SERVICE_TYPE),
        Column("ReferralOfferedDate", Kind.DATE),
        Column("ReferralRejectionDate", Kind.DATE, required=False),
        Column("ReferralRejectionReason", Kind.CODE, required=False, codes=REJECTION_REASON),
        Column("ReferClosureDate", Kind.DATE, required=False),
    ),
)

CYP104 = Table(
    "CYP104RTT",
    "One row per 2-hour or 2-day referral received in the period and offered to the provider",
    (
        _service_request(),
        Column("UCRMeasurementType", Kind.CODE, codes=UCR_MEASUREMENT_TYPE),
        Column("ClockStartDateTime", Kind.DATETIME),
        Column("ClockStopDateTime", Kind.DATETIME, required=False),
        Column("ResponseStandardMet", Kind.CODE, required=False, codes=YES_NO),
    ),
)

CYP201 = Table(
    "CYP201CareContact",
    "One row per finished home visit (attended, missed or cancelled) by the provider's teams",
    (
        Column("CareContactId", Kind.INTEGER, minimum=1, meaning="our visit id"),
        _service_request(required=False),
        _patient(),
        _provider(),
        _team(),
        Column("CareContDate", Kind.DATE),
        Column("CareContTime", Kind.TIME),
        Column(
            "ClinContDurOfCareCont",
            Kind.INTEGER,
            required=False,
            minimum=1,
            maximum=1440,
            meaning="minutes; only for an attended contact",
        ),
        Column("ConsMechanismCode", Kind.CODE, codes=CONSULTATION_MECHANISM),
        Column("ActLocTypeCode", Kind.CODE, codes=ACTIVITY_LOCATION_TYPE),
        Column("AttendOrDNACode", Kind.CODE, codes=ATTENDANCE),
        Column("PlannedCareContIndicator", Kind.CODE, codes=YES_NO),
    ),
)

TABLES: dict[str, Table] = {table.name: table for table in (CYP101, CYP102, CYP104, CYP201)}


def table_named(name: str) -> Table:
    """The table called ``name`` (``CYP101Referral``, or just ``CYP101``, in any case)."""
    wanted = name.strip().lower()
    for table in TABLES.values():
        if wanted in {table.name.lower(), table.name[:6].lower()}:
            return table
    raise KeyError(f"'{name}' is not a table: choose one of {', '.join(TABLES)}")


class Problem(NamedTuple):
    """One value that does not fit: its row (the header is row 1), its column and why."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


def validate_rows(
    table: Table | str, rows: Iterable[Mapping[str, object]], *, first_row: int = 2
) -> list[Problem]:
    """Every problem in ``rows``, column by column; rows are numbered as in the CSV file."""
    table = table if isinstance(table, Table) else table_named(table)
    known = set(table.column_names)
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=first_row):
        for column in table.columns:
            reason = column.problem(row.get(column.name))
            if reason:
                problems.append(Problem(number, column.name, reason))
        for name in sorted(set(row) - known):
            problems.append(Problem(number, name, f"is not a column of {table.name}"))
    return problems
