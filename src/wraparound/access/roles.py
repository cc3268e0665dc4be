"""Roles as data: what each may do, which parts of a record it sees, and on which grounds.

A role's view of a person is the minimum its work needs. A befriending volunteer needs
who the person is, where they live, how to get in and what to bring; not their
conditions, care plans or clinical notes. Nothing in the code asks "is this a
volunteer?": it asks whether the role's definition holds a permission, a record
section or a relationship basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Permission(StrEnum):
    """Everything a user may be allowed to do; checked only through ``has_permission``."""

    REFER = "refer"  # send a referral through the front door
    VIEW_OWN_REFERRALS = "view_own_referrals"
    TRIAGE_REFERRALS = "triage_referrals"
    VIEW_PATIENT_RECORD = "view_patient_record"
    EDIT_PATIENT_RECORD = "edit_patient_record"
    RECORD_CONSENT = "record_consent"
    BREAK_GLASS = "break_glass"
    ACCEPT_REFERRALS = "accept_referrals"
    PLAN_TEAM_DAY = "plan_team_day"
    RECORD_VISITS = "record_visits"
    MANAGE_SERVICES = "manage_services"
    VIEW_METRICS = "view_metrics"
    REVIEW_AUDIT = "review_audit"
    ADMINISTER = "administer"
    VIEW_TEAM_FEEDBACK = "view_team_feedback"  # the own team's FFT, comments included
    PUBLISH_FEEDBACK = "publish_feedback"  # "You said, we did" for the own team
    VIEW_CONTRACTS = "view_contracts"  # the pool, and the own organisation's statement
    VIEW_ALL_STATEMENTS = "view_all_statements"  # every partner's statement
    EDIT_CONTRACTS = "edit_contracts"
    # Capacity around the clock: the virtual ward's admissions are an authorised senior
    # clinician's (NHS England virtual wards operational framework, 2024), and only a
    # clinician may sign off leaving a faller at home.
    ADMIT_TO_VIRTUAL_WARD = "admit_to_virtual_ward"  # admit to, and discharge from, a ward
    TAKE_FALLS_CALLS = "take_falls_calls"  # record a fall call, triage and dispatch it
    RESPOND_TO_FALLS = "respond_to_falls"  # a responder's clocks on scene
    SIGN_OFF_FALLS = "sign_off_falls"  # the remote clinician's sign-off
    VIEW_CAPACITY = "view_capacity"  # the capacity board and the virtual-ward return
    RECORD_HOSPITAL_STAYS = "record_hospital_stays"  # a hospital's own list, and its sitrep


class Section(StrEnum):
    """A part of a person's record, shown (and served over FHIR) only to roles that hold it."""

    NAME = "name"  # who: name and age
    IDENTIFIERS = "identifiers"  # NHS number, date of birth, sex, GP practice
    HOME = "home"  # where: address, how to get in, what to bring
    CONSENT = "consent"
    CONDITIONS = "conditions"
    CARE_PLANS = "care_plans"  # plans, goals, interventions, alerts
    VISITS = "visits"  # planned and recent visits, with outcomes
    CARE_TEAM = "care_team"  # caseloads and care-team members
    ADVICE = "advice"
    HANDOVER = "handover"
    REFERRALS = "referrals"  # referrals about the person, with their clinical summaries


class Relationship(StrEnum):
    """The grounds on which a user's organisation may see a person (``policy.Basis`` words)."""

    OWN_TEAM_CASELOAD = "own_team_caseload"
    ORGANISATION_CASELOAD = "organisation_caseload"
    REFERRAL_HELD = "referral_held"
    REFERRAL_TO_TRIAGE = "referral_to_triage"
    CARE_TEAM = "care_team"
    ADVICE_REQUEST = "advice_request"
    ALLIANCE_SHARING = "alliance_sharing"
    FALL_RESPONSE = "fall_response"  # a fall call the user's centre took or was sent to
    HOSPITAL_INPATIENT = "hospital_inpatient"  # in a bed of the user's own hospital
    BREAK_GLASS = "break_glass"


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    VOLUNTEER = "volunteer", "Volunteer"
    COORDINATOR = "coordinator", "Coordination-centre clinician"
    CLINICIAN = "clinician", "Clinician"
    TEAM_LEADER = "team_leader", "Team leader"
    SERVICE_MANAGER = "service_manager", "Service manager"
    SYSTEM_ANALYST = "system_analyst", "System analyst"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    ADMINISTRATOR = "administrator", "Administrator"
    FINANCE_LEAD = "finance_lead", "Alliance finance lead"
    PARTNER_BOARD = "partner_board", "Partner board member"
    SENIOR_CLINICIAN = (
        "senior_clinician",
        "Authorised senior clinician (GP, consultant or consultant practitioner)",
    )
    RESPONDER = "responder", "Volunteer community responder"


@dataclass(frozen=True)
class RoleDefinition:
    permissions: frozenset[Permission]
    sections: frozenset[Section] = frozenset()
    relationships: frozenset[Relationship] = frozenset()


P = Permission
S = Section
R = Relationship
_CLINICAL = {P.VIEW_PATIENT_RECORD, P.EDIT_PATIENT_RECORD, P.RECORD_CONSENT, P.BREAK_GLASS}
WHOLE_RECORD = frozenset(Section)
# Direct care: the person's own teams, care team, advice and (for clinicians) break-glass.
_DIRECT_CARE = frozenset(
    {
        R.HOSPITAL_INPATIENT,
        R.OWN_TEAM_CASELOAD,
        R.ORGANISATION_CASELOAD,
        R.REFERRAL_HELD,
        R.CARE_TEAM,
        R.ADVICE_REQUEST,
        R.ALLIANCE_SHARING,
    }
)

ROLES: dict[Role, RoleDefinition] = {
    # A GP or other professional referrer: the record of people in their care team.
    Role.REFERRER: RoleDefinition(
        frozenset({P.REFER, P.VIEW_OWN_REFERRALS, P.VIEW_PATIENT_RECORD}),
        WHOLE_RECORD,
        _DIRECT_CARE,
    ),
    # A befriender: who, where, how to get in, what to bring; only for people their own
    # organisation supports (its caseload or its place in the care team), never by alliance
    # sharing, never break-glass.
    Role.VOLUNTEER: RoleDefinition(
        frozenset({P.REFER, P.VIEW_OWN_REFERRALS, P.VIEW_PATIENT_RECORD}),
        frozenset({S.NAME, S.HOME}),
        frozenset({R.OWN_TEAM_CASELOAD, R.ORGANISATION_CASELOAD, R.CARE_TEAM}),
    ),
    # The coordination centre also sees people whose referral waits for a service.
    # It takes falls calls too, and its clinicians sign off a faller left at home.
    Role.COORDINATOR: RoleDefinition(
        frozenset(
            {
                P.REFER,
                P.VIEW_OWN_REFERRALS,
                P.TRIAGE_REFERRALS,
                P.TAKE_FALLS_CALLS,
                P.SIGN_OFF_FALLS,
                P.VIEW_CAPACITY,
                *_CLINICAL,
            }
        ),
        WHOLE_RECORD,
        _DIRECT_CARE | {R.REFERRAL_TO_TRIAGE, R.BREAK_GLASS, R.FALL_RESPONSE},
    ),
    Role.CLINICIAN: RoleDefinition(
        frozenset(
            {
                P.REFER,
                P.VIEW_OWN_REFERRALS,
                P.RECORD_VISITS,
                P.VIEW_TEAM_FEEDBACK,
                P.SIGN_OFF_FALLS,
                P.RECORD_HOSPITAL_STAYS,
                *_CLINICAL,
            }
        ),
        WHOLE_RECORD,
        _DIRECT_CARE | {R.BREAK_GLASS, R.FALL_RESPONSE},
    ),
    Role.TEAM_LEADER: RoleDefinition(
        frozenset(
            {
                P.REFER,
                P.VIEW_OWN_REFERRALS,
                P.ACCEPT_REFERRALS,
                P.PLAN_TEAM_DAY,
                P.RECORD_VISITS,
                P.VIEW_METRICS,
                P.VIEW_TEAM_FEEDBACK,
                P.PUBLISH_FEEDBACK,
                P.VIEW_CAPACITY,
                P.SIGN_OFF_FALLS,
                *_CLINICAL,
            }
        ),
        WHOLE_RECORD,
        _DIRECT_CARE | {R.BREAK_GLASS, R.FALL_RESPONSE},
    ),
    # Service managers run services (the directory, capacity) and read metrics; accepting
    # referrals is the team leader's, so they see no person's record.
    Role.SERVICE_MANAGER: RoleDefinition(
        frozenset({P.MANAGE_SERVICES, P.VIEW_METRICS, P.VIEW_CAPACITY})
    ),
    # Analysts and privacy officers see aggregates and the audit trail, not records.
    Role.SYSTEM_ANALYST: RoleDefinition(frozenset({P.VIEW_METRICS})),
    Role.PRIVACY_OFFICER: RoleDefinition(frozenset({P.REVIEW_AUDIT})),
    Role.ADMINISTRATOR: RoleDefinition(frozenset({P.ADMINISTER, P.MANAGE_SERVICES})),
    # The alliance's finance lead keeps the contract's terms and reads every statement; a
    # partner's board reads the pool and its own organisation's statement. Neither sees a
    # person's record.
    Role.FINANCE_LEAD: RoleDefinition(
        frozenset({P.VIEW_CONTRACTS, P.VIEW_ALL_STATEMENTS, P.EDIT_CONTRACTS, P.VIEW_METRICS})
    ),
    Role.PARTNER_BOARD: RoleDefinition(frozenset({P.VIEW_CONTRACTS, P.VIEW_METRICS})),
    # A GP, consultant or consultant practitioner: what a referrer does, and the decisions
    # the virtual wards framework keeps for a senior clinician (admitting to and discharging
    # from a virtual ward) and signing off a faller left at home.
    Role.SENIOR_CLINICIAN: RoleDefinition(
        frozenset(
            {
                P.REFER,
                P.VIEW_OWN_REFERRALS,
                P.VIEW_PATIENT_RECORD,
                P.ADMIT_TO_VIRTUAL_WARD,
                P.SIGN_OFF_FALLS,
                P.VIEW_CAPACITY,
            }
        ),
        WHOLE_RECORD,
        _DIRECT_CARE | {R.FALL_RESPONSE},
    ),
    # A community first responder sent to a faller: who, where and how to get in, only
    # while the call they were sent to is open.
    Role.RESPONDER: RoleDefinition(
        frozenset({P.RESPOND_TO_FALLS, P.VIEW_PATIENT_RECORD}),
        frozenset({S.NAME, S.HOME}),
        frozenset({R.FALL_RESPONSE}),
    ),
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {r: d.permissions for r, d in ROLES.items()}
NO_ROLE = RoleDefinition(frozenset())


def definition_of(role: str) -> RoleDefinition:
    """The definition of a role; an unknown role grants nothing."""
    try:
        return ROLES[Role(role)]
    except ValueError:
        return NO_ROLE


def permissions_of(role: str) -> frozenset[Permission]:
    """The permissions a role grants; an unknown role grants none."""
    return definition_of(role).permissions
