"""Staff in the admin: read-only but for the fields an administrator changes, and those
saved through ``workforce.actions`` so that a change of role is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wraparound.ui.admin_base import ReadOnlyAdmin

from . import actions
from .models import Shift, Skill, StaffMember


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "team", "role", "profession", "band"]
    list_filter = ["role", "profession", "organisation", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = ["user", *sorted(actions.EDITABLE)]
    readonly_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: StaffMember, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if changes:
            actions.update_staff_member(staff_id=obj.pk, by=request.user, **changes)


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["staff", "date", "starts_at", "ends_at", "break_minutes"]
    list_filter = ["date", "staff__team"]
    date_hierarchy = "date"
