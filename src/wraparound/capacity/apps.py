from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "wraparound.capacity"
    verbose_name = "Capacity: virtual wards, community beds, the falls response"

    def ready(self) -> None:
        # Tell the door which relationship a fall call gives (door/grounds.py).
        from .grounds import register_grounds

        register_grounds()
