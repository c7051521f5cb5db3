"""What a host (or a spreadsheet row) says about an event, and the helpers every registry
service uses to collect what is wrong with it."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from nightout.errors import Invalid
from nightout.registry.models import EventKind
from nightout.text import text_problem


@dataclass(frozen=True)
class HostInput:
    name: str
    email: str
    phone: str = ""
    organization: str = ""


@dataclass(frozen=True)
class ClosureInput:
    street: str
    from_street: str = ""
    to_street: str = ""
    blocks: int = 1
    residential: bool = True
    consent_attested: bool = False
    barricades: int | None = None


@dataclass(frozen=True)
class EventInput:
    """Everything a host (or a spreadsheet row) says about an event."""

    title: str
    address: str
    starts: dt.time
    ends: dt.time
    host: HostInput
    kind: str = EventKind.BLOCK_PARTY
    description: str = ""
    venue: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    is_private_home: bool = True
    show_exact_location: bool = False
    activities: list[str] = field(default_factory=list)
    expected_attendance: int | None = None
    accessibility_notes: str = ""
    rain_date_declined: bool = False
    rain_date: dt.date | None = None
    visits: list[str] = field(default_factory=list)
    visit_times: dict[str, dt.time] = field(default_factory=dict)
    closure: ClosureInput | None = None
    district: str = ""  # a spreadsheet's district, for a town without a district map
    # The town's own notes on the event (a spreadsheet's "Notes"): never public, never the
    # host's to see or change. None leaves an event's notes as they are (a host's edit).
    coordinator_notes: str | None = None


class Errors:
    """Collects messages per field, then raises them together."""

    def __init__(self) -> None:
        self.messages: dict[str, list[str]] = {}

    def add(self, name: str, message: str | None) -> None:
        if message and message not in self.messages.get(name, []):
            self.messages.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise Invalid(self.messages)


def model_errors(instance, errors: Errors, prefix: str = "", exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False,
                            validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.add(f"{prefix}{name}", message)


def check_reason(reason: str) -> None:
    """A reason is stored and emailed as it is typed: it must be text every writer carries."""
    problem = text_problem(reason, multiline=True)
    if problem:
        raise Invalid({"reason": problem.message("The reason")})


def audit_text(value, zone) -> str:
    """A value for the audit trail; moments in the town's zone."""
    if isinstance(value, dt.datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    if value is None:
        return ""
    return str(value)


