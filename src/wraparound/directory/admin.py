from django.contrib import admin

from .models import ConditionRule, Gap, OpeningDate, OpeningSession, Service, ServiceNeed


class NeedInline(admin.TabularInline):
    model = ServiceNeed
    extra = 0


class SessionInline(admin.TabularInline):
    model = OpeningSession
    extra = 0


class DateInline(admin.TabularInline):
    model = OpeningDate
    extra = 0


class ConditionInline(admin.TabularInline):
    model = ConditionRule
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "team", "service_type", "capacity", "active"]
    list_filter = ["service_type", "capacity", "active", "bookable"]
    search_fields = ["name", "provider__name", "team__name"]
    filter_horizontal = ["neighbourhoods", "practices"]
    inlines = [NeedInline, SessionInline, DateInline, ConditionInline]


@admin.register(Gap)
class GapAdmin(admin.ModelAdmin):
    list_display = ["service", "rule", "reason", "urgency", "searched_at", "neighbourhood"]
    list_filter = ["rule", "urgency"]
