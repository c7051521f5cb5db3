"""Start-up checks that every nightout command runs (`nightout check` lists them)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = (
    "SECRET_KEY is not set. Put SECRET_KEY=<a long random string> in the environment or in "
    ".env (`make demo` writes one), or set DEBUG=true for local development."
)


def _secret_key_missing() -> bool:
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return True


@register()
def secret_key_set(app_configs, **kwargs) -> list[Error]:
    return [Error(MISSING_SECRET_KEY, id="nightout.E001")] if _secret_key_missing() else []


def require_secret_key() -> None:
    """For servers, which start without running the checks."""
    if _secret_key_missing():
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
