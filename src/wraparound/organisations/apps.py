from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "wraparound.organisations"
    verbose_name = "Organisations and places"
