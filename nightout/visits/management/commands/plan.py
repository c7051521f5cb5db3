import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nightout.registry.actors import Actor
from nightout.registry.models import Season
from nightout.visits.exports import version_as_csv, version_as_dict
from nightout.visits.selectors import version_current
from nightout.visits.services import version_queue_build


class Command(BaseCommand):
    help = ("Build a season's visit plan (`nightout plan --season SLUG [--seconds N] "
            "[--fair-share PERCENT]`), or "
            "export its current version (`nightout plan export --season SLUG --format json|csv`).")

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["build", "export"], default="build")
        parser.add_argument("--season", required=True)
        parser.add_argument("--seconds", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--fair-share", type=int, default=0, metavar="PERCENT",
                            help="That share of every district's visits comes first (0 = off).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        season = Season.objects.filter(slug=options["season"]).first()
        if season is None:
            raise CommandError(f"No season {options['season']!r}.")
        if options["action"] == "export":
            version = version_current(season)
            if version is None:
                raise CommandError(f"{season} has no plan yet: run `nightout plan --season "
                                   f"{season.slug}` first.")
            if options["format"] == "csv":
                self.stdout.write(version_as_csv(version), ending="")
            else:
                self.stdout.write(json.dumps(version_as_dict(version), indent=2))
            return
        try:
            version = version_queue_build(actor=Actor.system("command line"), season=season,
                                          seconds=options["seconds"], seed=options["seed"],
                                          fair_share=options["fair_share"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(_summary(version))


def _summary(version) -> str:
    if version.status != "done":
        return f"Version {version.number}: {version.status} ({version.progress_note})"
    more = version.more_parties_than_fcfs
    return (f"Version {version.number}: {version.visits_made} visits at {version.parties_reached} "
            f"parties, {more:+d} parties against first come, first served "
            f"({version.fcfs_parties}).")
