from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "wraparound.directory"
    verbose_name = "Directory of services"
