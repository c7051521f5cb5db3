import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightout.settings")
application = get_wsgi_application()

from nightout.checks import require_secret_key  # noqa: E402  (needs settings)

require_secret_key()
