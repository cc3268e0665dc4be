"""Read-only in the admin: changes go through the app's actions and pages, audited."""

from django.contrib import admin

from wraparound.ui.admin_base import ReadOnlyAdmin

from .models import Alliance, Neighbourhood, Organisation, Place, Team


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(ReadOnlyAdmin):
    list_display = ["name", "place", "population"]
    list_filter = ["place"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "ods_code", "kind", "network", "place"]
    list_filter = ["kind", "place"]
    search_fields = ["name", "ods_code"]
    autocomplete_fields = ["network"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "service_kind", "base_name"]
    list_filter = ["service_kind", "organisation"]
    search_fields = ["name", "code"]
    filter_horizontal = ["neighbourhoods"]


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    list_display = ["name", "place"]
    filter_horizontal = ["members"]
