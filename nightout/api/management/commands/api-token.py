from django.core.management.base import BaseCommand, CommandError

from nightout.api.models import AgencyToken
from nightout.api.services import agency_token_create, agency_token_revoke
from nightout.registry.models import Agency


class Command(BaseCommand):
    help = ("Agency API tokens: `create --agency SLUG --name TEXT` prints a new token once; "
            "`list` shows tokens (never the tokens themselves); `revoke PREFIX` stops one.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token for an agency.")
        create.add_argument("--agency", required=True, help="The agency's slug.")
        create.add_argument("--name", required=True, help="What it is for.")
        listing = actions.add_parser("list", help="The tokens, with their prefixes.")
        listing.add_argument("--agency", default="", help="Only this agency's (its slug).")
        revoke = actions.add_parser("revoke", help="Stop a token from working.")
        revoke.add_argument("prefix", help="The token's prefix, as `list` shows it.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, agency, name, **options):
        try:
            owner = Agency.objects.get(slug=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"No agency {agency!r}.") from None
        token, raw = agency_token_create(agency=owner, name=name, created_by="command line")
        self.stdout.write(f"Token for {owner} ({token.name}), shown only this once:\n{raw}")

    def _list(self, *, agency, **options):
        tokens = AgencyToken.objects.select_related("agency").order_by("agency__name",
                                                                       "created_at")
        if agency:
            tokens = tokens.filter(agency__slug=agency)
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            self.stdout.write(f"{t.prefix}  {t.agency.slug}  {t.name}  {state}")

    def _revoke(self, *, prefix, **options):
        token = AgencyToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token {prefix!r}.")
        agency_token_revoke(token=token)
        self.stdout.write(f"Revoked {token}.")
