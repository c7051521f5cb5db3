from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from nightout.accounts.forms import LoginForm
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
