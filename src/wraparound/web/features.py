"""The features a home page links to, each shown to the roles whose permissions allow it.

Each app adds its entry here as it lands, so every role's home page grows with the product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from wraparound.access.roles import Permission, Section
from wraparound.door.policy import has_permission, sections_for


@dataclass(frozen=True)
class Feature:
    title: str
    url_name: str
    description: str
    permission: Permission
    section: Section | None = None  # a part of the record the page shows, if any
    organisation_kind: str = ""  # only for staff of this kind of organisation, if given


FEATURES: tuple[Feature, ...] = (
    Feature(
        "Find a person",
        "caseload:people",
        "Search the people you have a legitimate relationship with, and open their record.",
        Permission.VIEW_PATIENT_RECORD,
    ),
    Feature(
        "My day",
        "caseload:my_day",
        "Today's visits in order, each person's summary, and recording outcomes on the move.",
        Permission.RECORD_VISITS,
    ),
    Feature(
        "Plan the day",
        "scheduling:board",
        "Plan tomorrow's visits for your team: map, timeline, moves by hand, publish to the nurses.",
        Permission.PLAN_TEAM_DAY,
    ),
    Feature(
        "Team caseload",
        "caseload:team_caseload",
        "The people your team cares for, with filters for who is due or not seen lately.",
        Permission.RECORD_VISITS,
        Section.CONDITIONS,
    ),
    Feature(
        "Advice requests",
        "caseload:advice_worklist",
        "Questions other services have asked your organisation about people, to answer.",
        Permission.VIEW_PATIENT_RECORD,
        Section.ADVICE,
    ),
    Feature(
        "Refer someone",
        "referrals:new",
        "Send a referral to community services through the one front door.",
        Permission.REFER,
    ),
    Feature(
        "My referrals",
        "referrals:mine",
        "The referrals you have sent, where each one is now, and who holds it.",
        Permission.VIEW_OWN_REFERRALS,
    ),
    Feature(
        "Referral worklist",
        "referrals:worklist",
        "Open referrals by urgency, with the time left to each target.",
        Permission.TRIAGE_REFERRALS,
    ),
    Feature(
        "Referrals for your team",
        "referrals:team",
        "Referrals offered to your team: accept them onto the caseload or decline with a reason.",
        Permission.ACCEPT_REFERRALS,
    ),
    Feature(
        "Find a service",
        "directory:search",
        "Services that can meet a person's needs now, ranked, and why the others cannot.",
        Permission.TRIAGE_REFERRALS,
    ),
    Feature(
        "Your services' capacity",
        "directory:services",
        "Say how much each of your organisation's services can take now.",
        Permission.MANAGE_SERVICES,
    ),
    Feature(
        "Standard metrics",
        "metrics:dashboard",
        "The handful of metrics counted one way everywhere, as SPC charts with variation and assurance icons.",
        Permission.VIEW_METRICS,
    ),
    Feature(
        "Persistent difficulty",
        "metrics:difficulty",
        "Teams and providers persistently outside the funnel limits, and who could buddy them.",
        Permission.VIEW_METRICS,
    ),
    Feature(
        "Break-glass reviews",
        "access:break_glass_reviews",
        "Emergency access to records, waiting for your review.",
        Permission.REVIEW_AUDIT,
    ),
    Feature(
        "Audit trail",
        "access:audit_search",
        "Who looked at a person's record, and why.",
        Permission.REVIEW_AUDIT,
    ),
    Feature(
        "Administration",
        "admin:index",
        "Organisations, teams, staff and people of the place.",
        Permission.ADMINISTER,
    ),
    Feature(
        "Feedback from people",
        "feedback:team",
        "Your team's Friends and Family Test: the month's answers, the chart, what people wrote about, and \"You said, we did\".",
        Permission.VIEW_TEAM_FEEDBACK,
    ),
    Feature(
        "Alliance contracts",
        "contracts:list",
        "The alliance's contract statement: from activity and quality to each partner's payment.",
        Permission.VIEW_CONTRACTS,
    ),
    Feature(
        "Capacity board",
        "capacity:board",
        "The next 24 hours of urgent-response crews against demand, and the virtual wards' census.",
        Permission.VIEW_CAPACITY,
    ),
    Feature(
        "Virtual wards",
        "capacity:wards",
        "Admit to a virtual ward or community bed, see who is on one, and discharge with a summary.",
        Permission.ADMIT_TO_VIRTUAL_WARD,
    ),
    Feature(
        "Falls calls",
        "capacity:falls",
        "Take a call for a faller, send a volunteer or a crew, and sign off from a distance.",
        Permission.TAKE_FALLS_CALLS,
    ),
    Feature(
        "The hospital's list",
        "discharge:list",
        "Everyone in your hospital's beds: who no longer meets the criteria to reside, their pathway, how long they have waited and why; the daily discharge sitrep.",
        Permission.RECORD_HOSPITAL_STAYS,
        organisation_kind="acute_trust",
    ),
    Feature(
        "Cohorts",
        "population:cohorts",
        "Count who is frail, admitted or on no caseload, by deprivation quintile and by practice, as rates per 1,000; save a cohort.",
        Permission.VIEW_METRICS,
    ),
    Feature(
        "Care transfer hub",
        "discharge:hub",
        "Everyone a hospital has referred who is ready to leave, the longest waiting first, with why they wait and what the directory offers; plan each one, with bridging care until a package starts.",
        Permission.TRIAGE_REFERRALS,
    ),
    Feature(
        "My fall call",
        "capacity:responder",
        "The faller you are sent to, the clocks, and whether you can be sent.",
        Permission.RESPOND_TO_FALLS,
    ),
)


def _kind_of(user: Any) -> str:
    staff = getattr(user, "staff_member", None)
    return staff.organisation.kind if staff is not None else ""


def features_for(user: Any) -> list[tuple[Feature, str]]:
    """The features this user may use, with their URLs; features not yet wired are skipped."""
    found = []
    sections = sections_for(user)
    for feature in FEATURES:
        if not has_permission(user, feature.permission):
            continue
        if feature.section is not None and feature.section not in sections:
            continue
        if feature.organisation_kind and _kind_of(user) != feature.organisation_kind:
            continue
        try:
            found.append((feature, reverse(feature.url_name)))
        except NoReverseMatch:
            continue
    return found
