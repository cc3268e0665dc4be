"""The demo's people at work: a user account and its staff record, made one way for every
step of the builder that adds staff."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from wraparound.access.roles import Role
from wraparound.organisations.models import Organisation, Team
from wraparound.workforce.models import Skill, StaffMember


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str  # ODS code
    team: str | None
    role: str
    profession: str
    band: int | None = None


def add_account(
    user: DemoUser,
    *,
    password_hash: str,
    organisations: dict[str, Organisation],
    teams: dict[str, Team],
    contracted_hours: float,
    skills: Iterable[Skill] = (),
) -> Any:
    """The user and their staff record, based where their team is based (if they have one)."""
    account = get_user_model().objects.create(
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        password=password_hash,
        is_staff=user.role == Role.ADMINISTRATOR,
        is_superuser=user.role == Role.ADMINISTRATOR,
    )
    team = teams.get(user.team) if user.team else None
    member = StaffMember.objects.create(
        user=account,
        organisation=organisations[user.organisation],
        team=team,
        role=user.role,
        profession=user.profession,
        band=user.band,
        contracted_hours=contracted_hours,
        base_latitude=team.base_latitude if team else None,
        base_longitude=team.base_longitude if team else None,
    )
    member.skills.set(skills)
    return account
