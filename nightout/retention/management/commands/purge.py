from django.core.management.base import BaseCommand

from nightout.retention.services import personal_data_purge


class Command(BaseCommand):
    help = ("Purge host contacts, coordinators' notes, private links and raw survey answers "
            "of seasons past the retention period (RETENTION_DAYS), and the rows staged by "
            "spreadsheet imports once applied, abandoned or stale. A dry run unless --apply "
            "is given.")

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Really purge.")

    def handle(self, *args, **options):
        report = personal_data_purge(apply=options["apply"])
        self.stdout.write("\n".join(report.lines(applied=options["apply"])))
