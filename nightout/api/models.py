"""Agency API tokens: what an agency's own software (a dispatch console, a crew app) shows
to read its units' itineraries and the season's locked plan.

Only a SHA-256 digest of the token is kept: the token itself is shown once, when it is made,
and cannot be read back. A revoked token stays, with when it was revoked, so that the record
of who had access is not lost.
"""

from django.db import models

from nightout.registry.models import Agency
from nightout.text import one_line


class AgencyToken(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120, validators=[one_line("The name")],
                            help_text="What it is for, such as “Dispatch console”.")
    prefix = models.CharField(max_length=12, unique=True, editable=False,
                              help_text="The token's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    created_by = models.CharField(max_length=150, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agency", "-created_at"]
        verbose_name = "agency API token"

    def __str__(self) -> str:
        return f"{self.agency}: {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
