"""Sign-in forms that refuse to guess passwords for ever.

Failed sign-ins are counted per username and per address (django-ratelimit's counters, in the
shared cache). Once either has LOGIN_RATE failures in its window, every sign-in for that
username or from that address is refused until the window ends, even with the right password:
a guesser learns nothing from trying it.
"""

import math

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django_ratelimit.core import get_usage

THROTTLED = "Too many attempts; try again in {minutes} minute{s}."


def _username(form) -> str:
    return (form.cleaned_data.get("username") or "").strip().lower()


def _counters(form, *, increment: bool) -> list[dict]:
    """The failure counters of this sign-in's username and address."""
    rate = settings.LOGIN_RATE
    username = _username(form)
    usages = [get_usage(form.request, group="nightout.login.ip", key="ip", rate=rate,
                        increment=increment)]
    if username:
        usages.append(get_usage(form.request, group="nightout.login.username",
                                key=lambda group, request: username, rate=rate,
                                increment=increment))
    return [u for u in usages if u is not None]


def login_wait_minutes(form) -> int:
    """Minutes until this username and address may try again; 0 when they may now."""
    full = [u for u in _counters(form, increment=False) if u["count"] >= u["limit"]]
    if not full:
        return 0
    return max(1, math.ceil(max(u["time_left"] for u in full) / 60))


class ThrottledLogin:
    """Counts failed sign-ins and refuses them all while a counter is full."""

    def clean(self):
        minutes = login_wait_minutes(self) if self.request is not None else 0
        if minutes:
            raise ValidationError(THROTTLED.format(minutes=minutes, s="" if minutes == 1 else "s"),
                                  code="throttled")
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None:
                _counters(self, increment=True)
            raise

    @property
    def throttled(self) -> bool:
        return any(e.code == "throttled" for e in self.errors.as_data().get("__all__", []))


class LoginForm(ThrottledLogin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    pass
