from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "nightout.finder"
    verbose_name = "Public finder"
