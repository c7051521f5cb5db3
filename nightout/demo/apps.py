from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "nightout.demo"
    label = "demo"
    verbose_name = "Demo data"
