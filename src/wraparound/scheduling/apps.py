from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "wraparound.scheduling"
    verbose_name = "Scheduling (the plan for the day)"
