"""The features a home page links to, each shown to the roles whose permissions allow it.

Each app adds its entry here as it lands, so every role's home page grows with the product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from wraparound.access.policy import has_permission
from wraparound.access.roles import Permission


@dataclass(frozen=True)
class Feature:
    title: str
    url_name: str
    description: str
    permission: Permission


FEATURES: tuple[Feature, ...] = (
    Feature(
        "Find a person",
        "caseload:people",
        "Search the people you have a legitimate relationship with, and open their record.",
        Permission.VIEW_PATIENT_RECORD,
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
)


def features_for(user: Any) -> list[tuple[Feature, str]]:
    """The features this user may use, with their URLs; features not yet wired are skipped."""
    found = []
    for feature in FEATURES:
        if not has_permission(user, feature.permission):
            continue
        try:
            found.append((feature, reverse(feature.url_name)))
        except NoReverseMatch:
            continue
    return found
