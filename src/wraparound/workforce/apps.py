from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "wraparound.workforce"
    verbose_name = "Workforce"
