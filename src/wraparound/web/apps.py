from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wraparound.web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
