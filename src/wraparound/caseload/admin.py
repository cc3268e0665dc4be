"""Admin for people: through the access door, and audited, like every other page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from wraparound.access import audit
from wraparound.access.models import AuditAction

from .models import CareTeamMember, CaseloadEntry, Condition, Patient


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 0


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["nhs_number", "family_name", "given_name", "date_of_birth", "neighbourhood"]
    search_fields = ["nhs_number", "family_name"]
    list_filter = ["neighbourhood", "sex"]
    inlines = [ConditionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Patient]:
        return Patient.objects.visible_to(request.user)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        audit.record(
            user=request.user, action=AuditAction.SEARCH, purpose="administration: list people"
        )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            purpose="administration: open a record",
            patient_id=int(object_id) if object_id.isdigit() else None,
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Patient, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(
            user=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            purpose="administration: edit a record",
            patient_id=obj.pk,
            detail={"changed": list(form.changed_data)},
        )


@admin.register(CaseloadEntry)
class CaseloadEntryAdmin(admin.ModelAdmin):
    list_display = ["team", "admitted_on", "discharged_on"]
    list_filter = ["team"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseloadEntry]:
        return (
            super()
            .get_queryset(request)
            .filter(patient__in=Patient.objects.visible_to(request.user))
        )


@admin.register(CareTeamMember)
class CareTeamMemberAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "started_on", "ended_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CareTeamMember]:
        return (
            super()
            .get_queryset(request)
            .filter(patient__in=Patient.objects.visible_to(request.user))
        )
