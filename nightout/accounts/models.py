from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from nightout.text import one_line


class User(AbstractUser):
    """A person who signs in: staff of a town or an agency, a crew member, an organizer.

    Hosts and residents never need an account.
    """

    first_name = models.CharField("first name", max_length=150, blank=True,
                                  validators=[one_line("The first name")])
    last_name = models.CharField("last name", max_length=150, blank=True,
                                 validators=[one_line("The last name")])
    email = models.EmailField("email address", blank=True, validators=[one_line("The email")])
    phone = models.CharField(max_length=32, blank=True, validators=[one_line("The phone")])

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    AGENCY_LIAISON = "agency_liaison", "Agency liaison"
    CREW = "crew", "Crew"
    REGIONAL_ORGANIZER = "regional_organizer", "Regional organizer"


class Membership(models.Model):
    """A role for a user in one jurisdiction (coordinator), one agency (liaison, crew) or one
    region (regional organizer). Site administrators are users with `is_superuser`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=24, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        "registry.Agency", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    region = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="coordinator", jurisdiction__isnull=False, agency__isnull=True,
                      region__isnull=True)
                    | Q(role__in=["agency_liaison", "crew"], agency__isnull=False,
                        jurisdiction__isnull=True, region__isnull=True)
                    | Q(role="regional_organizer", region__isnull=False,
                        jurisdiction__isnull=True, agency__isnull=True)
                ),
                violation_error_message=(
                    "A coordinator belongs to a jurisdiction, a liaison or crew member to an "
                    "agency, and a regional organizer to a region (exactly one of them)."
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", scope],
                    condition=Q(**{f"{scope}__isnull": False}),
                    name=f"membership_once_per_{scope}",
                    violation_error_message="This person already has this role there.",
                )
                for scope in ("jurisdiction", "agency", "region")
            ),
        ]

    def __str__(self) -> str:
        scope = self.jurisdiction or self.agency or self.region
        return f"{self.user} — {self.get_role_display()} of {scope}"


class Invitation(models.Model):
    """An invitation to a role (as a `Membership` says it), sent by email: the invited person
    opens its signed link before `expires_at`, sets a password (or signs in to an account
    they have), and has the role. Revoked or used, the link no longer works."""

    email = models.EmailField(validators=[one_line("The email")])
    role = models.CharField(max_length=24, choices=Role.choices)
    jurisdiction = models.ForeignKey("registry.Jurisdiction", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("registry.Agency", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("registry.Region", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="invitations_accepted")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_role_display()} of {self.scope}"

    @property
    def scope(self):
        return self.jurisdiction or self.agency or self.region
