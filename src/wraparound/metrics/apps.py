from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "wraparound.metrics"
    verbose_name = "Standard metrics"
