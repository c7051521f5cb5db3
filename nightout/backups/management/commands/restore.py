from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nightout.backups.services import BackupError, backup_check, backup_restore


class Command(BaseCommand):
    help = ("Replace the database's contents with a backup. Only checks the file unless --yes "
            "is given; stop the site before restoring.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Really replace the data.")

    def handle(self, *args, **options):
        try:
            if not options["yes"]:
                summary = backup_check(path=options["path"])
                self.stdout.write(f"{options['path']} holds {summary}. Nothing was changed: "
                                  "add --yes to replace the database with it.")
                return
            summary = backup_restore(path=options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {summary} from {options['path']}.")
