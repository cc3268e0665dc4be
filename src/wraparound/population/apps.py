from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "wraparound.population"
    verbose_name = "Population: frailty scores, small areas and deprivation, cohorts"

    def ready(self) -> None:
        # A change to a person's coded record rescores them (signals.py).
        from . import signals  # noqa: F401
