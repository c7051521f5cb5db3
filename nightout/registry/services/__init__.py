"""Writes to the registry, one module per subject. Each service is keyword-only, validated
and transactional, checks who is writing before it writes (refusing with `NotAllowed`), says
what to fix in bad input (`Invalid`), and records who did what in the audit trail. Messages a
person will read are module constants or come from `rules`.

- `events`: a host's registration (its checking half, `registration_check`, apart from its
  writing half, for the spreadsheet import), edit, cancellation (and its restoring) and
  renewal; the change that waits.
- `review`: the coordinator's approval, rejection, reopening of a rejected or cancelled
  event, and decision on a waiting change.
- `seasons`: a new season, and its rules and fee tiers.
- `host_reports`: the host's report after the night.
- `points`: the events' stored public points, worked out again after SECRET_KEY changed.
- `rain_date`: an event moved to its rain date.
- `cancelling`: a host's or the town's cancellation, and taking it back.
- `host_links`: a host who lost the private link asks for it again.

Who is writing (`Actor`) and the audit trail are `nightout.registry.actors`; they are named
here too, for the services' callers.
"""

from nightout.registry.actors import NEW_HOST, Actor, audit_record
from nightout.registry.services._access import NOT_ALLOWED, NOT_YOUR_EVENT
from nightout.registry.services._inputs import ClosureInput, EventInput, HostInput
from nightout.registry.services._resolve import NO_LOCATION, UNKNOWN_ACTIVITY, SeasonFacts
from nightout.registry.services.cancelling import NOT_CANCELLED, event_cancel, event_restore
from nightout.registry.services.events import (
    ALREADY_CANCELLED,
    ALREADY_RENEWED,
    CHANGE_LABELS,
    HOST_EMAIL_REQUIRED,
    HOST_NAME_REQUIRED,
    NO_NEXT_SEASON,
    PLACE_FIELDS,
    PUBLIC_FIELDS,
    Registration,
    event_as_input,
    event_register,
    event_renew,
    event_update,
    registration_check,
)
from nightout.registry.services.host_links import host_links_request
from nightout.registry.services.host_reports import (
    MAX_PHOTOS,
    REPORT_NOT_APPROVED,
    REPORT_TOO_EARLY,
    TOO_MANY_PHOTOS,
    host_report_submit,
)
from nightout.registry.services.points import public_points_refresh
from nightout.registry.services.rain_date import (
    ALREADY_ON_RAIN_DATE,
    NO_RAIN_DATE,
    NOT_MOVABLE,
    event_move_to_rain_date,
)
from nightout.registry.services.review import (
    CHANGE_MOVED,
    NO_PENDING_CHANGE,
    NOT_REOPENABLE,
    NOT_REVIEWABLE,
    REASON_REQUIRED,
    UNKNOWN_DECISION,
    event_approve,
    event_change_accept,
    event_change_decline,
    event_reject,
    event_reopen,
    events_review,
)
from nightout.registry.services.seasons import (
    DEADLINE_AFTER_NIGHT,
    EARLIEST_AFTER_DEFAULT,
    HOURS_END_BEFORE_START,
    LATEST_BEFORE_DEFAULT,
    NO_VISIT_KIND,
    RAIN_DATE_NOT_AFTER,
    RAIN_DATE_REQUIRED,
    SEASON_EXISTS,
    SEASON_NOT_ALLOWED,
    SEASON_RULES,
    TIER_ERROR,
    TIER_FEE_NEGATIVE,
    TIER_NOT_FOUND,
    TIER_TWICE,
    UNKNOWN_VISIT_KIND,
    FeeTierInput,
    SeasonInput,
    activities_ensure_standard,
    season_create,
    season_rules_check,
    season_start,
    season_update,
)

__all__ = [
    "ALREADY_CANCELLED", "ALREADY_ON_RAIN_DATE", "ALREADY_RENEWED", "CHANGE_LABELS", "CHANGE_MOVED",
    "DEADLINE_AFTER_NIGHT", "EARLIEST_AFTER_DEFAULT", "HOST_EMAIL_REQUIRED", "HOST_NAME_REQUIRED",
    "HOURS_END_BEFORE_START", "LATEST_BEFORE_DEFAULT", "MAX_PHOTOS", "NEW_HOST", "NO_LOCATION",
    "NO_NEXT_SEASON", "NO_PENDING_CHANGE", "NO_RAIN_DATE", "NOT_CANCELLED", "NO_VISIT_KIND",
    "NOT_ALLOWED", "NOT_MOVABLE", "NOT_REOPENABLE", "NOT_REVIEWABLE",
    "NOT_YOUR_EVENT", "PLACE_FIELDS", "PUBLIC_FIELDS", "RAIN_DATE_NOT_AFTER",
    "RAIN_DATE_REQUIRED", "REASON_REQUIRED", "REPORT_NOT_APPROVED", "REPORT_TOO_EARLY",
    "SEASON_EXISTS", "SEASON_NOT_ALLOWED", "SEASON_RULES", "TIER_ERROR", "TIER_FEE_NEGATIVE",
    "TIER_NOT_FOUND", "TIER_TWICE", "TOO_MANY_PHOTOS", "UNKNOWN_ACTIVITY", "UNKNOWN_DECISION",
    "UNKNOWN_VISIT_KIND",
    "Actor", "ClosureInput", "EventInput", "FeeTierInput", "HostInput", "Registration",
    "SeasonFacts", "SeasonInput",
    "activities_ensure_standard", "audit_record", "event_approve", "event_cancel",
    "event_change_accept", "event_change_decline", "event_move_to_rain_date", "event_register",
    "event_reject", "event_reopen",
    "event_as_input", "event_renew", "event_restore", "event_update", "events_review",
    "host_links_request", "host_report_submit", "public_points_refresh",
    "registration_check", "season_create", "season_rules_check", "season_start",
    "season_update",
]
