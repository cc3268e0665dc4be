"""Admin views of access data. The audit trail is read-only here, as everywhere."""

from django.contrib import admin

from wraparound.ui.admin_base import ReadOnlyAdmin

from .models import AuditEvent, BreakGlass, ConsentDecision


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
    exclude = ["patient"]  # who it was about is the privacy officer's page, through the door


@admin.register(ConsentDecision)
class ConsentDecisionAdmin(ReadOnlyAdmin):
    list_display = ["recorded_at", "scope", "method", "is_current"]
    exclude = ["patient"]
