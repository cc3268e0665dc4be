from django.contrib import admin

from .models import Shift, Skill, StaffMember


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "team", "role", "profession", "band"]
    list_filter = ["role", "profession", "organisation", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["skills"]
    autocomplete_fields = ["user"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["staff", "date", "starts_at", "ends_at", "break_minutes"]
    list_filter = ["date", "staff__team"]
    date_hierarchy = "date"
