"""``check --deploy``: refuse a secret key anyone with the repository can read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from wraparound.web.public_keys import found_in_repository


@register(Tags.security, deploy=True)
def secret_key_is_not_public(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if found_in_repository(settings.SECRET_KEY):
        return [
            Error(
                "The SECRET_KEY is written in the repository, so it is public.",
                hint="Set WRAPAROUND_SECRET_KEY to 50+ new random characters.",
                id="wraparound.E001",
            )
        ]
    return []
