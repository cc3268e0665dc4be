"""Admin for people: read-only, through the access door, and audited like every other page.

An administrator's role sees no records, so these lists are empty for them; a refused
record is audited as refused, never as viewed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.door.policy import visible_patients
from wraparound.inputs import ascii_id
from wraparound.ui.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import CareTeamMember, CaseloadEntry, Condition, Patient


class ConditionInline(ReadOnlyInline):
    model = Condition


@admin.register(Patient)
class PatientAdmin(ReadOnlyAdmin):
    list_display = ["nhs_number", "family_name", "given_name", "date_of_birth", "neighbourhood"]
    search_fields = ["nhs_number", "family_name"]
    list_filter = ["neighbourhood", "sex"]
    inlines = [ConditionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Patient]:
        return visible_patients(Patient.objects.all(), request.user)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        audit.record(
            user=request.user, action=AuditAction.SEARCH, purpose=Purpose.ADMIN_LIST_PEOPLE
        )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        patient_id = ascii_id(object_id)
        visible = patient_id is not None and self.get_queryset(request).filter(pk=patient_id)
        audit.record(
            user=request.user,
            action=AuditAction.VIEW if visible and visible.exists() else AuditAction.DENIED,
            purpose=Purpose.ADMIN_OPEN_RECORD,
            patient_id=patient_id,
        )
        return super().change_view(request, object_id, form_url, extra_context)


class _PersonLinked(ReadOnlyAdmin):
    """Rows about a person: only those of people the user may see, and never the person."""

    exclude = ["patient"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = visible_patients(Patient.objects.all(), request.user)
        return super().get_queryset(request).filter(patient__in=visible)


@admin.register(CaseloadEntry)
class CaseloadEntryAdmin(_PersonLinked):
    list_display = ["team", "admitted_on", "discharged_on"]
    list_filter = ["team"]


@admin.register(CareTeamMember)
class CareTeamMemberAdmin(_PersonLinked):
    list_display = ["organisation", "role", "started_on", "ended_on"]
