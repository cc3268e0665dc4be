"""Sign-in throttling by account across addresses, and by address across accounts.

django-axes counts failures under each lockout parameter (the username, whatever the
address; the address, whatever the username) and locks when the larger count reaches one
limit. An account is guessed at far less often than an address is shared (a whole
hospital can sign in from one address), so the two need different limits: this callable
gives axes the account's limit once the account itself has reached it, and the address's
otherwise.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def account_failures(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Failed sign-ins to this account within the cool-off, from any address."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    total = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    account_limit: int = settings.WRAPAROUND_ACCOUNT_FAILURE_LIMIT
    address_limit: int = settings.WRAPAROUND_ADDRESS_FAILURE_LIMIT
    if account_failures(request, credentials) >= account_limit:
        return account_limit
    return address_limit
