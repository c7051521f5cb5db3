from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "nightout.retention"
    label = "retention"
    verbose_name = "Retention of personal data"
