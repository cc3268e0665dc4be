from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, token_hash

TOKEN_LIFETIME = dt.timedelta(days=30)


@transaction.atomic
def issue_token(*, username: str, lifetime: dt.timedelta = TOKEN_LIFETIME) -> tuple[str, ApiToken]:
    """A new bearer token for ``username``: the secret is returned once and stored hashed."""
    user: Any = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": f"No active user called {username!r}"})
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, key_hash=token_hash(secret), expires_at=timezone.now() + lifetime
    )
    return secret, token
