from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "nightout.visits"
    verbose_name = "Visits"
