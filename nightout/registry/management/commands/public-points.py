from django.core.management.base import BaseCommand

from nightout.registry.services import public_points_refresh


class Command(BaseCommand):
    help = ("Work out every event's public point again (the block-level point of a private "
            "home) and store those that moved. Run it after changing SECRET_KEY: the finder "
            "searches the stored points (docs/privacy.md).")

    def handle(self, *args, **options):
        self.stdout.write(f"{public_points_refresh()} public points moved.")
