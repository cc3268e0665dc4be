from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "wraparound.caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        # Tell the door which relationships this app's records give (door/grounds.py).
        from .grounds import register_grounds

        register_grounds()
