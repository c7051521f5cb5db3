from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nightout.api"
    label = "api"
    verbose_name = "JSON API"
