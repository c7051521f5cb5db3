"""The registry's forms, one module per screen's owner; every name is imported here:

- `hosts`: registering and editing a party, the host's report, asking again for a lost
  private link, and `add_service_errors`.
- `review`: a party the coordinator enters for its host (or changes), the coordinator's
  queue, a rejection's reason.
- `seasons`: the season's settings and fee tiers, a new season, the administration's form.
"""

from nightout.registry.forms.hosts import (
    ERROR_FIELDS,
    HostReportForm,
    LinkRequestForm,
    MultipleFileInput,
    MultipleImageField,
    RegistrationForm,
    add_service_errors,
)
from nightout.registry.forms.imports import ImportUploadForm, MappingForm
from nightout.registry.forms.review import QueueFilterForm, RejectForm, StaffRegistrationForm
from nightout.registry.forms.seasons import (
    BaseFeeTierFormSet,
    FeeTierForm,
    NewSeasonForm,
    SeasonForm,
    SeasonSettingsForm,
    TownDateTimeField,
    add_season_errors,
    fee_tier_formset,
    season_input,
)

__all__ = [
    "ERROR_FIELDS", "BaseFeeTierFormSet", "FeeTierForm", "HostReportForm", "ImportUploadForm",
    "LinkRequestForm", "MappingForm",
    "MultipleFileInput", "MultipleImageField", "NewSeasonForm", "QueueFilterForm",
    "RegistrationForm", "RejectForm", "SeasonForm", "SeasonSettingsForm",
    "StaffRegistrationForm", "TownDateTimeField",
    "add_season_errors", "add_service_errors", "fee_tier_formset", "season_input",
]
