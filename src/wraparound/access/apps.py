from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "wraparound.access"
    verbose_name = "Access, consent and audit"
