"""Registering an event, as the site's registration form does: the same form checks the
fields, the same service applies the season's rules and writes, the same rate limit holds."""

from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from nightout.api.errors import InvalidInput, form_errors
from nightout.api.schemas import SLUG, Problem
from nightout.api.seasons import NO_SEASON
from nightout.errors import NotFound
from nightout.registry import rules
from nightout.registry.forms import RegistrationForm, add_service_errors
from nightout.registry.links import manage_url
from nightout.registry.models import EventKind, Season, UnitKind
from nightout.registry.selectors import season_get
from nightout.registry.services import event_register
from nightout.registry.views import RATE_LIMITED

router = Router(tags=["registration"])

# The web form's rate-limit group: one connection has one budget, by form or by API.
RATE_GROUP = "nightout.registry.views.register"
REGISTERED = ("Thank you! The event is registered and waits for the coordinator. The host's "
              "email has the private link to change or cancel it.")
TIME = r"^\d{2}:\d{2}(:\d{2})?$"

Kind = Literal[tuple(EventKind.values)]
VisitKind = Literal[tuple(UnitKind.values)]
Slug = Annotated[str, Field(pattern=r"^[-a-z0-9_]{1,40}$")]

# The form's field names, as this API names them.
FIELD_NAMES = {
    "host_name": "host.name", "host_email": "host.email", "host_phone": "host.phone",
    "host_organization": "host.organization", "closure_street": "closure.street",
    "closure_from_street": "closure.from_street", "closure_to_street": "closure.to_street",
    "closure_blocks": "closure.blocks", "closure_residential": "closure.residential",
    "closure_consent": "closure.consent",
}


class HostIn(Schema):
    """The host's contact: kept for the coordinator, never public, never in a response."""

    name: str
    email: str
    phone: str = ""
    organization: str = Field("", description="Block club, HOA, church or business.")


class ClosureIn(Schema):
    street: str
    from_street: str = ""
    to_street: str = ""
    blocks: int = 1
    residential: bool = True
    consent: bool = Field(False, description="The season's share of households on the block "
                                             "agree to the closure.")


class RegistrationIn(Schema):
    title: str
    kind: Kind = "block_party"
    description: str = ""
    venue: str = Field("", description="A park, church or building, if it has a name.")
    address: str
    postal_code: str = Field("", description="Places an approximate pin when no latitude and "
                                             "longitude are given.")
    latitude: float | None = Field(None, allow_inf_nan=False)
    longitude: float | None = Field(None, allow_inf_nan=False)
    is_private_home: bool = Field(True, description="The public then sees only the block.")
    show_exact_location: bool = False
    starts: str = Field(pattern=TIME, description="Time of day on the night, in the town's "
                                                  "zone, such as `17:00`.")
    ends: str = Field(pattern=TIME)
    activities: list[Slug] = Field(default_factory=list, description="Activities' slugs.")
    expected_attendance: int | None = None
    accessibility_notes: str = ""
    visits: list[VisitKind] = Field(default_factory=list,
                                    description="Kinds of visit asked for.")
    visit_time: str | None = Field(None, pattern=TIME, description="Best time for visits.")
    rain_date_declined: bool = False
    rain_date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                                  description="When the season lets the host pick one.")
    closure: ClosureIn | None = None
    host: HostIn


class Registered(Schema):
    id: int
    status: str
    title: str
    season: str
    message: str
    manage_url: str = Field(description="The host's private link to see, change or cancel "
                                        "the registration (also emailed to the host).")


def _form_data(data: RegistrationIn) -> dict:
    values = data.model_dump(exclude={"host", "closure"})
    values.update({f"host_{k}": v for k, v in data.host.model_dump().items()})
    if data.closure is not None:
        values.update({"closure": True, **{f"closure_{k}": v
                                           for k, v in data.closure.model_dump().items()}})
    return {k: v for k, v in values.items() if v is not None}


def _not_asked(season: Season, data: RegistrationIn) -> dict[str, list[str]]:
    """What the season does not take, which the web form does not even show."""
    town = season.jurisdiction.name
    found = {}
    if data.closure is not None and not season.closures_enabled:
        found["closure"] = [rules.CLOSURES_NOT_OFFERED.format(town=town)]
    if data.visit_time and not season.visit_times_allowed:
        found["visit_time"] = [rules.VISIT_TIMES_NOT_ALLOWED.format(town=town)]
    if data.rain_date and not rules.host_picks_rain_date(season):
        found["rain_date"] = [rules.RAIN_DATE_NOT_CHOSEN.format(town=town)]
    return found


@router.post("/seasons/{slug}/registrations",
             response={201: Registered, 400: Problem, 404: Problem, 410: Problem, 422: Problem,
                       429: Problem},
             summary="Register an event")
def registration_create(request, data: RegistrationIn,
                        slug: str = Path(..., max_length=140, pattern=SLUG)):
    """Register a party or community event in a season, without an account. Every rule of
    the season applies, as on the site's form; nothing is written unless all pass, and
    every problem is named by its field. The event then waits for the coordinator."""
    try:
        season = season_get(slug=slug)
    except Season.DoesNotExist:
        raise NotFound(NO_SEASON) from None
    closed = rules.registration_open(season, timezone.now())
    if closed:
        raise HttpError(410, closed)
    if is_ratelimited(request, group=RATE_GROUP, key="ip", method="POST", increment=True,
                      rate=lambda group, request: settings.REGISTRATION_RATE):
        raise HttpError(429, RATE_LIMITED)
    form = RegistrationForm(_form_data(data), season=season)
    refused = _not_asked(season, data)
    if form.is_valid() and not refused:
        try:
            event = event_register(season=season, data=form.to_input())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return Status(201, {
                "id": event.pk, "status": event.status, "title": event.title,
                "season": season.slug, "message": REGISTERED,
                "manage_url": request.build_absolute_uri(manage_url(event)),
            })
    raise InvalidInput({**form_errors(form, FIELD_NAMES), **refused})
