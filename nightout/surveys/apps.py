from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "nightout.surveys"
    label = "surveys"
    verbose_name = "Trust pulse"
