"""What every page shows of the signed-in user: name, organisation and role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wraparound.ui.session import WARN_SECONDS, seconds_left

from .features import features_for


def signed_in_as(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff = getattr(user, "staff_member", None) if user and user.is_authenticated else None
    return {
        # When the page's session ends, for the warning that offers to extend it.
        "session_seconds": seconds_left(request) if staff is not None else None,
        "session_warn_seconds": WARN_SECONDS,
        # Every page links to every page the role uses (issue 11: no navigation between them).
        "navigation": features_for(user) if staff is not None else [],
        "current_staff": staff,
        "current_organisation": staff.organisation if staff else None,
        "current_role": staff.get_role_display() if staff else None,
    }
