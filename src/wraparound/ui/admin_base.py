"""The Django admin's rule: it shows, it does not write behind the actions' backs.

Every change of state goes through an app's actions (atomic, audited, permission-checked);
the admin's own forms would write rows directly, so domain models are read-only here,
and the few the admin may change route their save through an action.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class _ShowsOnly:
    """Nothing can be added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(_ShowsOnly, admin.ModelAdmin):  # type: ignore[misc]
    pass


class ReadOnlyInline(_ShowsOnly, admin.TabularInline):  # type: ignore[misc]
    extra = 0
