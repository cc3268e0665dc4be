"""Admin views of access data. The audit trail is read-only here, as everywhere."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, BreakGlass, ConsentDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence",
        "occurred_at",
        "username",
        "organisation_code",
        "role",
        "action",
        "purpose",
        "basis",
    ]
    list_filter = ["action", "role"]
    search_fields = ["username", "organisation_code", "request_id"]


@admin.register(BreakGlass)
class BreakGlassAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "user", "expires_at", "reviewed_at"]


@admin.register(ConsentDecision)
class ConsentDecisionAdmin(ReadOnlyAdmin):
    list_display = ["recorded_at", "scope", "method", "is_current"]
