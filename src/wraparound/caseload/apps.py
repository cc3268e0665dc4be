from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "wraparound.caseload"
    verbose_name = "Caseload"
