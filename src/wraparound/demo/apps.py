from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wraparound.demo"
    verbose_name = "Demo place"
