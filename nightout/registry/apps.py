from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nightout.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        import nightout.checks  # noqa: F401  (registers the start-up checks)
