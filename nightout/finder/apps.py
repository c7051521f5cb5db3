from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "nightout.finder"
    verbose_name = "Public finder"

    def ready(self):
        # Writes to events and audit entries make this process read the data's version again.
        from nightout.finder import caching  # noqa: F401
