from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "wraparound.feedback"
    verbose_name = "Friends and Family Test"
