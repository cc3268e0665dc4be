from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "wraparound.contracts"
    verbose_name = "Alliance contracts"
