from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "nightout.reports"
    label = "reports"
    verbose_name = "Reports"
