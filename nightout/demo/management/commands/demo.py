from django.core.management.base import BaseCommand

from nightout.demo.load import demo_load, demo_logins_text


class Command(BaseCommand):
    help = ("Load the demo (the 2017 western Massachusetts story and the Lakeport city); "
            "safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="Where it will be served.")

    def handle(self, *args, **options):
        demo_load()
        self.stdout.write(demo_logins_text(options["url"].rstrip("/")))
