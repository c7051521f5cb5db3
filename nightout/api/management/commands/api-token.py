from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nightout.api.models import AgencyToken
from nightout.api.services import agency_token_create, agency_token_revoke
from nightout.registry.models import Agency


class Command(BaseCommand):
    help = ("Agency API tokens. `create --agency SLUG --name TEXT` prints a new token, once; "
            "`list [--agency SLUG]` shows the tokens' prefixes (never the tokens); "
            "`revoke PREFIX` stops one at once.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("prefix", nargs="?", default="",
                            help="With revoke: the token's prefix, as `list` shows it.")
        parser.add_argument("--agency", default="", help="The agency's slug.")
        parser.add_argument("--name", default="", help="With create: what the token is for.")

    def handle(self, *args, action, prefix, agency, name, **options):
        if action == "create":
            self._create(agency=agency, name=name)
        elif action == "list":
            self._list(agency=agency)
        else:
            self._revoke(prefix=prefix)

    def _create(self, *, agency: str, name: str) -> None:
        if not agency or not name:
            raise CommandError("Give the agency (--agency SLUG) and what the token is for "
                               "(--name TEXT).")
        try:
            owner = Agency.objects.get(slug=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"No agency {agency!r}.") from None
        try:
            token, raw = agency_token_create(agency=owner, name=name,
                                             created_by="command line")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Token for {owner} ({token.name}), shown only this once:\n{raw}")

    def _list(self, *, agency: str) -> None:
        tokens = AgencyToken.objects.select_related("agency").order_by("agency__name",
                                                                       "created_at")
        if agency:
            tokens = tokens.filter(agency__slug=agency)
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            self.stdout.write(f"{t.prefix}  {t.agency.slug}  {t.name}  {state}")

    def _revoke(self, *, prefix: str) -> None:
        token = AgencyToken.objects.filter(prefix=prefix).first() if prefix else None
        if token is None:
            raise CommandError(f"No token {prefix!r}: give its prefix, as `list` shows it.")
        agency_token_revoke(token=token)
        self.stdout.write(f"Revoked {token}.")
