"""Why a record was read or changed: every purpose the audit trail may record, in one list.

The privacy officer's "who looked at this record" page and any audit report group events by
purpose, so a purpose is a word from this list, never free text: ``audit.record`` refuses one
that is not here. A purpose of the ``CHANGES`` kind also says what changed: its event's
``detail["changes"]`` holds each changed field's value before and after
(``audit.changes(before, after)``), so an audit of a change can be read without the record.
"""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    # Finding and reading a person's record.
    FIND_A_PERSON = "find a person"
    REFER_SOMEONE = "refer someone"
    VIEW_RECORD = "view the person's record"
    TEAM_CASELOAD = "team caseload"
    MY_DAY = "my day's visits"
    OPEN_A_VISIT = "open a visit"
    ADVICE_WORKLIST = "advice worklist"
    DIRECTORY_SEARCH = "directory search"
    PLANNING_BOARD = "planning board"
    URGENT_INSERTION_PROPOSAL = "urgent insertion proposal"
    ADMIN_LIST_PEOPLE = "administration: list people"
    ADMIN_OPEN_RECORD = "administration: open a record"
    # Referrals.
    COORDINATION_WORKLIST = "coordination-centre worklist"
    OFFERED_TO_THE_TEAM = "referrals offered to the team"
    MY_REFERRALS = "my referrals"
    FOLLOW_A_SENT_REFERRAL = "follow a sent referral"
    VIEW_A_REFERRAL = "view a referral"
    TRIAGE_A_REFERRAL = "triage a referral"
    CHANGE_URGENCY = "change a referral's urgency"
    OFFER_A_REFERRAL = "offer a referral to a team"
    RETURN_A_REFERRAL = "return a referral to the referrer"
    ACCEPT_A_REFERRAL = "accept a referral"
    DECLINE_A_REFERRAL = "decline a referral"
    REFERRAL_RECEIVED = "referral received"
    REFERRAL_TRIAGED = "referral triaged"
    TRIAGE_OVERRIDDEN = "triage overridden"
    REFERRAL_OFFERED = "referral offered to a team"
    REFERRAL_ACCEPTED = "referral accepted"
    REFERRAL_ACCEPTED_AGAIN = "referral accepted again: already accepted, nothing changed"
    REFERRAL_DECLINED = "referral declined"
    REFERRAL_RETURNED = "referral returned to the referrer"
    REFERRAL_COMPLETED = "referral completed"
    REFERRALS_IMPORTED = "referrals imported from a file"
    # Care plans, visits and notes.
    PLAN_THE_DAYS_VISITS = "plan the day's visits"
    ADD_AN_EXTRA_VISIT = "add an extra visit"
    ASSIGN_A_VISIT = "assign a visit"
    VISIT_EN_ROUTE = "visit en route"
    VISIT_ARRIVED = "visit arrived"
    VISIT_ASSIGNED = "visit assigned"
    VISIT_PLANNED = "visit planned"
    VISIT_CANCELLED = "visit cancelled"
    VISIT_COMPLETED = "visit completed"
    VISIT_MISSED = "visit missed"
    RECORD_A_VISIT_COMPLETED = "record a visit completed"
    RECORD_A_VISIT_MISSED = "record a visit missed"
    CORRECT_A_VISIT_OUTCOME = "correct a visit's outcome"
    VISIT_OUTCOME_CORRECTED = "visit outcome corrected"
    WRITE_A_HANDOVER_NOTE = "write a handover note"
    ASK_FOR_ADVICE = "ask for advice"
    ANSWER_AN_ADVICE_REQUEST = "answer an advice request"
    START_A_CARE_PLAN = "start a care plan"
    ADD_AN_INTERVENTION = "add an intervention to a care plan"
    PLAN_THE_TEAMS_DAY = "plan the team's day"
    PUBLISH_THE_TEAMS_DAY = "publish the team's day"
    # Consent and emergency access.
    RECORD_CONSENT = "record consent"
    CONSENT_CHANGED = "consent changed"
    BREAK_THE_GLASS = "break the glass"
    EMERGENCY_ACCESS = "emergency access"
    BREAK_GLASS_REVIEW = "break-glass review"
    WHO_LOOKED = "who looked at this record"
    # The directory, staff and tokens.
    SERVICE_ADDED = "service added to the directory"
    SERVICE_DETAILS_CHANGED = "service details changed"
    SERVICE_PROFILE_CHANGED = "service profile changed"
    SERVICE_CAPACITY_CHANGED = "service capacity changed"
    STAFF_RECORD_CHANGED = "staff record changed"
    ISSUE_AN_API_TOKEN = "issue an API token"
    # FHIR.
    FHIR_READ_PATIENT = "FHIR read Patient"
    FHIR_SEARCH_PATIENT = "FHIR search Patient"
    FHIR_READ_CARE_PLAN = "FHIR read CarePlan"
    FHIR_SEARCH_CARE_PLAN = "FHIR search CarePlan"
    FHIR_READ_CARE_TEAM = "FHIR read CareTeam"
    FHIR_SEARCH_CARE_TEAM = "FHIR search CareTeam"
    FHIR_READ_APPOINTMENT = "FHIR read Appointment"
    FHIR_SEARCH_APPOINTMENT = "FHIR search Appointment"
    FHIR_READ_ENCOUNTER = "FHIR read Encounter"
    FHIR_SEARCH_ENCOUNTER = "FHIR search Encounter"
    FHIR_CREATE_SERVICE_REQUEST = "FHIR create ServiceRequest"
    FHIR_SEARCH_SERVICE_REQUEST = "FHIR search ServiceRequest"
    FHIR_READ_SERVICE_REQUEST = "FHIR read ServiceRequest"
    FHIR_FOLLOW_A_SENT_SERVICE_REQUEST = "FHIR follow a sent ServiceRequest"
    # Reporting.
    CSDS_EXPORT = "CSDS export"
    # The Friends and Family Test.
    FEEDBACK_INVITED = "invite feedback after a visit"
    FEEDBACK_GIVEN = "Friends and Family Test answered"
    TEAM_FEEDBACK = "team feedback"
    YOU_SAID_WE_DID = "publish you said, we did"
    # Alliance contracts.
    CONTRACT_TERMS_CHANGED = "contract terms changed"
    CONTRACT_STATEMENT = "contract statement"
    # Capacity around the clock: wards, falls, the board.
    WARD_ADMISSION = "admit to a ward"
    WARD_DISCHARGE = "discharge from a ward"
    WARD_LIST = "ward list"
    WARD_PLACES_CHANGED = "ward places changed"
    FALL_CALL_TAKEN = "take a fall call"
    FALL_CALL_OPENED = "open a fall call"
    FALL_CLOCK_RECORDED = "record a fall's clock"
    FALL_SIGNED_OFF = "sign off a fall"
    RESPONDER_AVAILABILITY = "responder availability"
    CAPACITY_BOARD = "capacity board"
    CREWS_ON_SHIFT = "crews on shift"
    DEMAND_COUNTED = "urgent-response demand counted"
    # Discharge flow.
    HOSPITAL_LIST = "the hospital's list"
    HOSPITAL_STAY_RECEIVED = "hospital stay received"
    DISCHARGE_SITREP = "discharge situation report"
    HOSPITAL_DAYS_COUNTED = "hospital days counted"
    DISCHARGE_PLANNING = "planning a discharge (the care transfer hub)"
    FRAILTY_SCORED = "frailty scores computed"
    DEPRIVATION_LOADED = "small areas and deprivation loaded"
    COHORT_COUNTED = "a cohort counted (aggregates only)"
    COHORT_SAVED = "a cohort saved"
    VIRTUAL_WARD_RETURN = "virtual ward monthly return"


# Purposes whose events record what changed, field by field, before and after.
CHANGES = frozenset(
    {
        Purpose.CONSENT_CHANGED,
        Purpose.TRIAGE_OVERRIDDEN,
        Purpose.VISIT_OUTCOME_CORRECTED,
        Purpose.SERVICE_DETAILS_CHANGED,
        Purpose.SERVICE_PROFILE_CHANGED,
        Purpose.SERVICE_CAPACITY_CHANGED,
        Purpose.STAFF_RECORD_CHANGED,
        Purpose.CONTRACT_TERMS_CHANGED,
        Purpose.WARD_PLACES_CHANGED,
        Purpose.FALL_CLOCK_RECORDED,
        Purpose.RESPONDER_AVAILABILITY,
    }
)
