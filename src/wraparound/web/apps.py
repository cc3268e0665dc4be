from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wraparound.web"
    verbose_name = "Web shell"
