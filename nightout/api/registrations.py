"""Registering an event, as the site's registration form does: the same form checks the
fields, the same service applies the season's rules and writes, the same rate limit holds."""

import datetime as dt
from typing import Annotated, Literal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

from nightout.api.errors import InvalidInput, form_errors
from nightout.api.events import iso_date
from nightout.api.schemas import SLUG, Problem, documented
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
# A time of day, as the form reads it: 17:00 or 17:00:30.
TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"

# What a text may hold (`nightout.text`), for the description: no control character, no
# non-character of the first plane, and in a one-line text no line break or tab either; a
# required text holds more than spaces. The form applies the rule itself, with its messages.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
_ONE_LINE = _CONTROL + r"\x09\x0a\x0d\u2028\u2029"
_SPACE = r" \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
ONE_LINE_TEXT = f"^[^{_ONE_LINE}]*$"
ONE_LINE_REQUIRED = f"^[^{_ONE_LINE}]*[^{_ONE_LINE}{_SPACE}][^{_ONE_LINE}]*$"
MULTI_LINE_TEXT = f"^[^{_CONTROL}]*$"


def from_form(name: str, description: str, example: object, **field) -> object:
    """A property checked by the registration form's field `name`: its description shows
    the form's own limits (length, range, what a text may hold), which the form applies."""
    form_field = RegistrationForm.base_fields[name]
    shape: dict = {}
    if isinstance(form_field, forms.CharField):
        multiline = isinstance(form_field.widget, forms.Textarea)
        shape["maxLength"] = form_field.max_length
        shape["pattern"] = (MULTI_LINE_TEXT if multiline else
                            ONE_LINE_REQUIRED if form_field.required else ONE_LINE_TEXT)
        if form_field.required:
            shape["minLength"] = 1
        if isinstance(form_field, forms.EmailField):
            shape["format"] = "email"
    elif isinstance(form_field, (forms.IntegerField, forms.FloatField)):
        shape.update(minimum=form_field.min_value, maximum=form_field.max_value)
    return Field(description=description, examples=[example], json_schema_extra=shape,
                 **field)


Kind = Literal[tuple(EventKind.values)]
VisitKind = Literal[tuple(UnitKind.values)]
Slug = Annotated[str, Field(pattern=r"^[-a-z0-9_]{1,40}$")]
Time = Annotated[str, Field(pattern=TIME)]
# A JSON integer: `60` or `60.0` (JSON Schema's integers include it), never `"60"` or `true`.
WholeNumber = Annotated[int, BeforeValidator(
    lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)]
RainDate = Annotated[
    dt.date | None, BeforeValidator(iso_date),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}),
]

# The form's field names, as this API names them.
FIELD_NAMES = {
    "host_name": "host.name", "host_email": "host.email", "host_phone": "host.phone",
    "host_organization": "host.organization", "closure_street": "closure.street",
    "closure_from_street": "closure.from_street", "closure_to_street": "closure.to_street",
    "closure_blocks": "closure.blocks", "closure_residential": "closure.residential",
    "closure_consent": "closure.consent",
}
# JSON types as they are: `"1"` is not a number, `1` not a boolean.
STRICT = {"strict": True}

REGISTRATION_EXAMPLE = {
    "title": "Maple Street Block Party", "kind": "block_party",
    "description": "Music, a cookout and chalk for the children.",
    "venue": "", "address": "1200 Maple Street", "postal_code": "55901",
    "latitude": 45.0512, "longitude": -93.5621, "is_private_home": True,
    "show_exact_location": False, "starts": "17:00", "ends": "20:30",
    "activities": ["music"], "expected_attendance": 60,
    "accessibility_notes": "Step-free; chairs in the shade.", "visits": ["police", "fire"],
    "visit_time": "18:00", "rain_date_declined": False,
    "closure": {"street": "Maple Street", "from_street": "12th Avenue",
                "to_street": "13th Avenue", "blocks": 1, "residential": True,
                "consent": True},
    "host": {"name": "Pat Host", "email": "pat@example.org", "phone": "507-555-0100",
             "organization": "Maple Street Block Club"},
}
REGISTERED_EXAMPLE = {
    "id": 1501, "status": "submitted", "title": "Maple Street Block Party",
    "season": "lakeport-2027", "message": REGISTERED,
    "manage_url": "https://nno.example.org/manage/1501/AbCdEf123/",
}


class HostIn(Schema):
    """The host's contact: kept for the coordinator, never public, never in a response."""

    model_config = ConfigDict(**STRICT, json_schema_extra={
        "examples": [REGISTRATION_EXAMPLE["host"]]})

    name: str = from_form("host_name", "The host's name.", "Pat Host")
    email: str = from_form("host_email", "Where the private link and notices go.",
                           "pat@example.org")
    phone: str = from_form("host_phone", "For the coordinator, on the night.",
                           "507-555-0100", default="")
    organization: str = from_form("host_organization", "Block club, HOA, church or "
                                  "business.", "Maple Street Block Club", default="")


class ClosureIn(Schema):
    """A request to close the street, where the season offers closures."""

    model_config = ConfigDict(**STRICT, json_schema_extra={
        "examples": [REGISTRATION_EXAMPLE["closure"]]})

    street: str = Field(description="The street to close.", examples=["Maple Street"],
                        json_schema_extra={"maxLength": 160, "minLength": 1,
                                           "pattern": ONE_LINE_REQUIRED})
    from_street: str = from_form("closure_from_street", "The cross street it is closed "
                                 "from.", "12th Avenue", default="")
    to_street: str = from_form("closure_to_street", "The cross street it is closed to.",
                               "13th Avenue", default="")
    blocks: WholeNumber = from_form("closure_blocks", "How many blocks.", 1, default=1)
    residential: bool = Field(True, description="It is a residential street.",
                              examples=[True])
    consent: bool = Field(False, description="The season's share of households on the block "
                                             "agree to the closure.", examples=[True])


class RegistrationIn(Schema):
    """A registration: the site's registration form, as JSON."""

    model_config = ConfigDict(**STRICT, json_schema_extra={"examples": [REGISTRATION_EXAMPLE]})

    title: str = from_form("title", "The event's name.", "Maple Street Block Party")
    kind: Kind = Field("block_party", description="What kind of event it is.",
                       examples=["block_party"])
    description: str = from_form("description", "What is planned; may hold line breaks.",
                                 REGISTRATION_EXAMPLE["description"], default="")
    venue: str = from_form("venue", "A park, church or building, if it has a name.",
                           "Maple Street Park", default="")
    address: str = from_form("address", "The street address.", "1200 Maple Street")
    postal_code: str = from_form("postal_code", "The ZIP code; places an approximate pin "
                                 "when no latitude and longitude are given.", "55901",
                                 default="")
    latitude: float | None = from_form("latitude", "The pin's latitude (WGS 84); give both "
                                       "or neither.", 45.0512, default=None,
                                       allow_inf_nan=False)
    longitude: float | None = from_form("longitude", "The pin's longitude (WGS 84).",
                                        -93.5621, default=None, allow_inf_nan=False)
    is_private_home: bool = Field(True, description="The public then sees only the block.",
                                  examples=[True])
    show_exact_location: bool = Field(False, description="Show the exact address to the "
                                      "public anyway.", examples=[False])
    starts: str = Field(pattern=TIME, description="Time of day on the night, in the town's "
                                                  "zone, such as `17:00`.",
                        examples=["17:00"])
    ends: str = Field(pattern=TIME, description="Time of day on the night, in the town's "
                                                "zone.", examples=["20:30"])
    activities: list[Slug] = Field(default_factory=list, description=(
        "Activities' slugs, from the season's `activities`."), examples=[["music"]])
    expected_attendance: WholeNumber | None = from_form("expected_attendance", "How many people "
                                                "are expected.", 60, default=None)
    accessibility_notes: str = from_form("accessibility_notes", "Step-free access, "
                                         "seating, quiet space.",
                                         REGISTRATION_EXAMPLE["accessibility_notes"],
                                         default="")
    visits: list[VisitKind] = Field(default_factory=list, description=(
        "Kinds of visit asked for, from the season's `visit_kinds`."),
        examples=[["police", "fire"]])
    visit_time: Time | None = Field(None, description="Best time for visits, where the "
                                    "season lets hosts say.", examples=["18:00"])
    rain_date_declined: bool = Field(False, description="No rain date, where the season "
                                     "moves events to the next day.", examples=[False])
    rain_date: RainDate = Field(None, examples=["2027-08-04"], description=(
        "A rain date, YYYY-MM-DD, where the season lets the host pick one."))
    closure: ClosureIn | None = Field(None, description="A street closure, where the season "
                                      "offers them.")
    host: HostIn = Field(description="The host's contact, never public.")


class Registered(Schema):
    """The registered event."""

    model_config = ConfigDict(json_schema_extra={"examples": [REGISTERED_EXAMPLE]})

    id: int = Field(description="The event's id.", examples=[1501])
    status: str = Field(description="`submitted`: it waits for the coordinator.",
                        examples=["submitted"])
    title: str = Field(description="The event's name.", examples=["Maple Street Block Party"])
    season: str = Field(description="The season's slug.", examples=["lakeport-2027"])
    message: str = Field(description="What happens next, for the host.",
                         examples=[REGISTERED])
    manage_url: str = Field(description="The host's private link to see, change or cancel "
                                        "the registration (also emailed to the host).",
                            examples=[REGISTERED_EXAMPLE["manage_url"]])


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
             summary="Register an event",
             openapi_extra={
                 **documented(
                     says="Registered; it waits for the coordinator.",
                     example=REGISTERED_EXAMPLE, status=201,
                     bad_request="The body is not JSON.",
                     not_found="No season has this slug.",
                     gone="The season's registration has closed.",
                     invalid="A field is not valid, or the season's rules refuse the event "
                             "(hours, the pin outside the town, deadlines, a closure or "
                             "visit it does not offer); `errors` names each field.",
                     too_many="Too many registrations from this connection this hour."),
                 "requestBody": {"description": "The event and its host.", "content": {
                     "application/json": {"example": REGISTRATION_EXAMPLE}}}})
def registration_create(request, data: RegistrationIn,
                        slug: str = Path(..., max_length=140, pattern=SLUG,
                                         description="The season's slug.",
                                         examples=["lakeport-2027"])):
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
