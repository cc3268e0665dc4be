from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "wraparound.referrals"
    verbose_name = "Referrals: intake, triage and lifecycle"
