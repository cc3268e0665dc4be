"""Read-only in the admin: changes go through the app's actions and pages, audited."""

from django.contrib import admin

from wraparound.ui.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import ConditionRule, Gap, OpeningDate, OpeningSession, Service, ServiceNeed


class NeedInline(ReadOnlyInline):
    model = ServiceNeed


class SessionInline(ReadOnlyInline):
    model = OpeningSession


class DateInline(ReadOnlyInline):
    model = OpeningDate


class ConditionInline(ReadOnlyInline):
    model = ConditionRule


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["name", "provider", "team", "service_type", "capacity", "active"]
    list_filter = ["service_type", "capacity", "active", "bookable"]
    search_fields = ["name", "provider__name", "team__name"]
    filter_horizontal = ["neighbourhoods", "practices"]
    inlines = [NeedInline, SessionInline, DateInline, ConditionInline]


@admin.register(Gap)
class GapAdmin(ReadOnlyAdmin):
    list_display = ["service", "rule", "reason", "urgency", "searched_at", "neighbourhood"]
    list_filter = ["rule", "urgency"]
