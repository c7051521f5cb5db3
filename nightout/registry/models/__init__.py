"""The registry: who holds National Night Out, when, where, and what each party asks for.

Times are stored as aware datetimes and shown in the jurisdiction's zone
(`Jurisdiction.zone`). Coordinates are WGS 84 degrees.

One module per subject; every model and name is imported here, so
`from nightout.registry.models import Event` (and the migrations) keep working:

- `places`: regions and jurisdictions, and the coordinate checks every model shares.
- `seasons`: a jurisdiction's season and its closure fee tiers.
- `agencies`: agencies, their stations, and the kinds of unit (and of visit).
- `events`: activities, events, their hosts, the agencies that came, a change waiting.
- `requests`: what an event asks for: a closure, visits.
- `records`: the audit trail, spreadsheet uploads, the host's report and its photos.
"""

from nightout.registry.models.agencies import Agency, AgencyKind, Station, UnitKind
from nightout.registry.models.events import (
    STAFF_SOURCES,
    Activity,
    Event,
    EventAgency,
    EventKind,
    EventStatus,
    HostContact,
    LocationPrecision,
    PendingChange,
)
from nightout.registry.models.places import (
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    PERCENT_VALIDATORS,
    Jurisdiction,
    Region,
    coordinate_constraints,
    validate_time_zone,
)
from nightout.registry.models.records import (
    IMPORT_FINISHED,
    AuditEntry,
    EventPhoto,
    HostReport,
    ImportBatch,
    ImportStatus,
)
from nightout.registry.models.requests import (
    ACTIVE_CLOSURE,
    Closure,
    ClosureStatus,
    VisitRequest,
)
from nightout.registry.models.seasons import ClosureFeeTier, RainDateRule, Season

__all__ = [
    "ACTIVE_CLOSURE", "IMPORT_FINISHED", "LATITUDE_VALIDATORS", "LONGITUDE_VALIDATORS",
    "PERCENT_VALIDATORS", "STAFF_SOURCES",
    "Activity", "Agency", "AgencyKind", "AuditEntry", "Closure", "ClosureFeeTier",
    "ClosureStatus", "Event", "EventAgency", "EventKind", "EventPhoto", "EventStatus",
    "HostContact", "HostReport", "ImportBatch", "ImportStatus", "Jurisdiction",
    "LocationPrecision", "PendingChange", "RainDateRule", "Region", "Season", "Station",
    "UnitKind", "VisitRequest", "coordinate_constraints", "validate_time_zone",
]
