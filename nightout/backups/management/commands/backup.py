from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nightout.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the whole database to a file (SQLite: online copy; PostgreSQL: pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path,
                            help="Where to write it (default: backups/nightout-<time>.backup).")

    def handle(self, *args, **options):
        path = options["path"] or Path("backups") / (
            f"nightout-{timezone.now():%Y%m%d-%H%M%S}.backup")
        try:
            written = backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")
