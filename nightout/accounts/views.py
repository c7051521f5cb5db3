from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from nightout.accounts.forms import LoginForm
from nightout.accounts.models import Role
from nightout.accounts.selectors import membership_list


class LoginView(auth_views.LoginView):
    """Django's sign-in, with failed attempts throttled (nightout/accounts/forms.py)."""

    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    """Django's sign-out, which also asks the browser to clear what the site kept on the device
    (the crew's itineraries kept for offline use). Browsers honour it over HTTPS and on
    localhost; the page's own script (static/nightout/sign-out.js) clears them elsewhere."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@login_required
def me(request):
    return render(
        request, "accounts/me.html", {"memberships": membership_list(user=request.user)}
    )


@login_required
def landing(request):
    """Where signing in leads: the season the person works on, by their first role (a town's
    latest season's queue for its coordinator, its units for an agency's liaison, the crew's
    itineraries, the organizer's region; the towns for a site administrator of a new site),
    else the list of their roles."""
    from nightout.registry.models import Season

    user = request.user
    if user.is_superuser:  # a new site starts with its first town
        return redirect("registry:review_seasons" if Season.objects.exists() else "registry:towns")
    for membership in membership_list(user=user):
        town = membership.jurisdiction or (membership.agency and membership.agency.jurisdiction)
        season = (Season.objects.filter(jurisdiction=town).order_by("-year").first()
                  if town else None)
        if membership.role == Role.COORDINATOR:  # a town without a season: start one there
            return redirect("registry:queue", slug=season.slug) if season else redirect(
                "registry:review_seasons")
        if membership.role == Role.AGENCY_LIAISON and season:  # on the night: the board
            night = season.nno_date == timezone.localdate(timezone=season.jurisdiction.zone)
            return redirect("visits:board" if night else "visits:units", season=season.slug)
        if membership.role == Role.CREW:
            return redirect("visits:index")
        if membership.role == Role.REGIONAL_ORGANIZER:
            return redirect("reports:region", slug=membership.region.slug)
    return redirect("accounts:me")
