from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "nightout.backups"
    label = "backups"
    verbose_name = "Backups"
