"""People, on the coordinator's pages: who has a role in the town and its agencies, the
invitations waiting, a new invitation; and the invited person's page, where they set a
password (or sign in) and take the role."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nightout.accounts.models import Invitation, Membership, Role, User
from nightout.accounts.permissions import can_manage_agency, can_manage_season
from nightout.accounts.services import (
    LINK_GONE,
    invitation_accept,
    invitation_from_token,
    invitation_revoke,
    invitation_send,
    may_give,
    membership_revoke,
    role_label,
)
from nightout.plaintext import in_sentence
from nightout.registry.models import Agency, Season
from nightout.text import PlainTextFields


class InviteForm(PlainTextFields, forms.Form):
    email = forms.EmailField(label="Their email")
    what = forms.ChoiceField(label="As")

    def __init__(self, *args, offers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = offers


class AccountForm(PlainTextFields, UserCreationForm):
    """The invited person's new account: a username and a password (Django's validators)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name")


def _season(request, slug) -> tuple[Season, list[Agency]]:
    season = get_object_or_404(Season.objects.select_related("jurisdiction"), slug=slug)
    agencies = list(Agency.objects.filter(jurisdiction=season.jurisdiction, retired=False))
    if not can_manage_season(request.user, season) and not any(
            can_manage_agency(request.user, a) for a in agencies):
        raise PermissionDenied
    return season, agencies


def _offers(user, season, agencies) -> dict[str, tuple[str, object]]:
    """What this user may invite to: value -> (role, scope), labelled by `role_label`."""
    offers = {}
    town = season.jurisdiction
    if may_give(user, Role.COORDINATOR, town):
        offers[f"coordinator:{town.pk}"] = (Role.COORDINATOR, town)
    for agency in agencies:
        for role in (Role.AGENCY_LIAISON, Role.CREW):
            if may_give(user, role, agency):
                offers[f"{role}:{agency.pk}"] = (role, agency)
    return offers


@login_required
def people(request, slug):
    season, agencies = _season(request, slug)
    town, user = season.jurisdiction, request.user
    offers = _offers(user, season, agencies)
    form = InviteForm(request.POST if request.POST.get("action") == "invite" else None,
                      offers=[(k, role_label(*v)) for k, v in offers.items()])
    try:
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "invite" and form.is_valid():
                role, scope = offers[form.cleaned_data["what"]]
                invitation = invitation_send(user=user, email=form.cleaned_data["email"],
                                             role=role, scope=scope)
                messages.success(request, f"Invited {invitation.email} as "
                                 f"{in_sentence(role_label(role, scope))}: the link is emailed, "
                                 "and works for 7 days.")
                return redirect(request.path)
            if action == "revoke_invitation":
                invitation_revoke(user=user, invitation=get_object_or_404(
                    Invitation, pk=request.POST.get("invitation")))
                messages.success(request, "Invitation withdrawn: its link no longer works.")
                return redirect(request.path)
            if action == "revoke_membership":
                membership = get_object_or_404(Membership, pk=request.POST.get("membership"))
                membership_revoke(user=user, membership=membership)
                was = role_label(membership.role, membership.jurisdiction or membership.agency)
                messages.success(request, f"{membership.user} is no longer {in_sentence(was)}.")
                return redirect(request.path)
    except ValidationError as exc:
        form.add_error("email", exc.messages)
    memberships = Membership.objects.filter(
        Q(jurisdiction=town) | Q(agency__in=agencies)).select_related(
        "user", "jurisdiction", "agency").order_by("agency__name", "role", "user__username")
    invitations = Invitation.objects.filter(
        Q(jurisdiction=town) | Q(agency__in=agencies),
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
    rows = [(m, role_label(m.role, m.jurisdiction or m.agency),
             may_give(user, m.role, m.jurisdiction or m.agency) and m.user != user)
            for m in memberships]
    waiting = [(i, role_label(i.role, i.scope), may_give(user, i.role, i.scope))
               for i in invitations.select_related("jurisdiction", "agency", "invited_by")]
    with timezone.override(town.zone):
        return render(request, "accounts/people.html", {
            "season": season, "rows": rows, "waiting": waiting, "form": form if offers else None,
        }, status=400 if form.errors else 200)


def invitation(request, token):
    """The invited person's page: a new account and the role, or the role on the account
    they are signed in with."""
    found, gone = invitation_from_token(token)
    if gone:
        inviter = (found.invited_by if found and found.invited_by else "your coordinator")
        return render(request, "accounts/invitation.html", {
            "gone": LINK_GONE[gone].format(inviter=inviter)}, status=410)
    label = role_label(found.role, found.scope)
    form = AccountForm(request.POST or None) if not request.user.is_authenticated else None
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                invitation_accept(invitation=found, user=request.user)
                messages.success(request, f"You are now {in_sentence(label)}.")
                return redirect("accounts:me")
            if form.is_valid():
                with transaction.atomic():  # no account without its role
                    user = form.save(commit=False)
                    user.email = found.email
                    user.save()
                    invitation_accept(invitation=found, user=user)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome: your account is made and you are "
                                 f"{in_sentence(label)}.")
                return redirect("accounts:me")
        except ValidationError as exc:  # withdrawn or expired while the page was open
            return render(request, "accounts/invitation.html",
                          {"gone": " ".join(exc.messages)}, status=410)
    return render(request, "accounts/invitation.html", {
        "invitation": found, "label": label, "form": form},
        status=400 if form is not None and form.errors else 200)
