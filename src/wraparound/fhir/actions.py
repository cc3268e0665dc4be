from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission

from .models import ApiToken, token_hash

TOKEN_LIFETIME = dt.timedelta(days=30)


@transaction.atomic
def issue_token(
    *, username: str, by: Actor, lifetime: dt.timedelta = TOKEN_LIFETIME
) -> tuple[str, ApiToken]:
    """A new bearer token for ``username``: the secret is returned once and stored hashed.

    Issued by an administrator, or by the system on an operator's command (``wraparound
    token``); either way the issue is audited, naming who issued it for whom.
    """
    by = require_actor(by)
    if not isinstance(by, System) and not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Only an administrator can issue an API token")
    user: Any = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": f"No active user called {username!r}"})
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, key_hash=token_hash(secret), expires_at=timezone.now() + lifetime
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.ISSUE_AN_API_TOKEN,
        detail={"token": token.pk, "for": username, "expires_at": token.expires_at.isoformat()},
    )
    return secret, token
