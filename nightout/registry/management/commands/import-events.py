from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from nightout.registry.actors import Actor
from nightout.registry.imports import ImportRefused, events_import
from nightout.registry.models import Season


class Command(BaseCommand):
    help = ("Import events from a CSV or XLSX file into a season. A check that reports every "
            "line to fix unless --apply is given; exits non-zero when any line has a fault. "
            "Column names and value formats: docs/import.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--season", required=True,
                            help="The season's slug, e.g. lakeport-2027.")
        parser.add_argument("--apply", action="store_true", help="Write the rows (all or none).")
        parser.add_argument("--sheet", default="",
                            help="The workbook's sheet to read (default: the first with rows).")
        parser.add_argument("--drop-column", action="append", default=[], metavar="NAME",
                            help="Leave this column out entirely (repeatable).")

    def handle(self, *args, **options):
        try:
            season = Season.objects.select_related("jurisdiction").get(slug=options["season"])
        except Season.DoesNotExist:
            raise CommandError(f"No season {options['season']!r}.") from None
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            report = events_import(season=season, filename=path.name, content=path.read_bytes(),
                                   apply=options["apply"], drop_columns=options["drop_column"],
                                   sheet=options["sheet"], actor=Actor.system("import"))
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:  # e.g. the connection lost: the transaction is rolled back
            raise CommandError(f"The database failed during the import ({exc}). The import is "
                               "one transaction, so none of its rows were kept; run it again."
                               ) from None
        if report.sheet:
            self.stdout.write(f"Sheet read: {report.sheet}")
        for fault in report.faults:
            column = f", column “{fault.column}”" if fault.column else ""
            value = f" (“{fault.value}”)" if fault.value else ""
            self.stdout.write(f"line {fault.line}{column}{value}: {fault.message}")
        if report.unmapped:
            self.stdout.write(f"Not read (no field matched): {', '.join(report.unmapped)}")
        if report.left_out:
            self.stdout.write(f"Left out: {', '.join(report.left_out)}")
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("Nothing was written.")
