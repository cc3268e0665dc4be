"""Who is acting: a user (signed in or not), or Wraparound itself on an operator's command.

Every action takes ``by: Actor``. A user's authority comes from their role
(``permissions.has_permission``); the system's from the operator who ran the command, which
the audit trail names (``"system: wraparound token"``). Nothing else may act: an action
handed anything else refuses it before it reads or writes (``require_actor``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class System:
    """Wraparound acting on a command an operator ran (a management command, a task)."""

    command: str
    is_authenticated = False
    is_active = False
    pk = None

    def get_username(self) -> str:
        return f"system: {self.command}"


Actor = AbstractBaseUser | AnonymousUser | System


def require_actor(by: object) -> Actor:
    """``by`` itself when it can act; a TypeError naming ``by`` when it is anything else."""
    if isinstance(by, AbstractBaseUser | AnonymousUser | System):
        return by
    raise TypeError(f"by: an action needs a user or the system as its actor, not {by!r}")
