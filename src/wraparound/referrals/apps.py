from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "wraparound.referrals"
    verbose_name = "Referrals: intake, triage and lifecycle"

    def ready(self) -> None:
        # Tell the door which relationships this app's records give (door/grounds.py).
        from .grounds import register_grounds

        register_grounds()
