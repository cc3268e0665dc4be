"""The model the door keeps: whose record it is (``settings.WRAPAROUND_PERSON_MODEL``).

Named in settings, as Django names the user model (``AUTH_USER_MODEL``), so the door reaches
the person through the app registry and imports no record app: the apps that hold records
all import the door, and the door none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.apps import apps
from django.conf import settings

if TYPE_CHECKING:
    from wraparound.caseload.models import Patient


def person_model() -> type[Patient]:
    return cast("type[Patient]", apps.get_model(settings.WRAPAROUND_PERSON_MODEL))
