"""Roles and the permissions each one grants: permissions are data, not code paths."""

from __future__ import annotations

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


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    COORDINATOR = "coordinator", "Coordination-centre clinician"
    CLINICIAN = "clinician", "Clinician"
    TEAM_LEADER = "team_leader", "Team leader"
    SERVICE_MANAGER = "service_manager", "Service manager"
    SYSTEM_ANALYST = "system_analyst", "System analyst"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    ADMINISTRATOR = "administrator", "Administrator"


P = Permission
_CLINICAL = {P.VIEW_PATIENT_RECORD, P.EDIT_PATIENT_RECORD, P.RECORD_CONSENT, P.BREAK_GLASS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.REFERRER: frozenset({P.REFER, P.VIEW_OWN_REFERRALS, P.VIEW_PATIENT_RECORD}),
    Role.COORDINATOR: frozenset({P.REFER, P.VIEW_OWN_REFERRALS, P.TRIAGE_REFERRALS, *_CLINICAL}),
    Role.CLINICIAN: frozenset({P.REFER, P.VIEW_OWN_REFERRALS, P.RECORD_VISITS, *_CLINICAL}),
    Role.TEAM_LEADER: frozenset(
        {
            P.REFER,
            P.VIEW_OWN_REFERRALS,
            P.ACCEPT_REFERRALS,
            P.PLAN_TEAM_DAY,
            P.RECORD_VISITS,
            P.VIEW_METRICS,
            *_CLINICAL,
        }
    ),
    Role.SERVICE_MANAGER: frozenset({P.MANAGE_SERVICES, P.ACCEPT_REFERRALS, P.VIEW_METRICS}),
    # Analysts and privacy officers see aggregates and the audit trail, not records.
    Role.SYSTEM_ANALYST: frozenset({P.VIEW_METRICS}),
    Role.PRIVACY_OFFICER: frozenset({P.REVIEW_AUDIT}),
    Role.ADMINISTRATOR: frozenset({P.ADMINISTER, P.MANAGE_SERVICES}),
}


def permissions_of(role: str) -> frozenset[Permission]:
    """The permissions a role grants; an unknown role grants none."""
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()
