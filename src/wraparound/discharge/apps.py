from django.apps import AppConfig


class DischargeConfig(AppConfig):
    name = "wraparound.discharge"
    verbose_name = "Discharge: the hospital's list and the discharge sitrep"

    def ready(self) -> None:
        # Tell the door which relationship a hospital stay gives (door/grounds.py).
        from .grounds import register_grounds

        register_grounds()
