"""Settings for nightout, read from the environment (and a local .env file).

Every setting that can change between installations is listed in .env.example;
tests/test_settings.py fails when one is read here but not documented there.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP
from django.utils.log import DEFAULT_LOGGING

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent

env = environ.Env()
# NIGHTOUT_ENV_FILE names another settings file (tests point it at an empty one).
environ.Env.read_env(os.environ.get("NIGHTOUT_ENV_FILE", BASE_DIR / ".env"), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Without it nothing starts: see nightout/checks.py (every command) and wsgi.py/asgi.py.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-for-DEBUG"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "corsheaders",
    "nightout.accounts",
    "nightout.registry",
    "nightout.finder",
    "nightout.surveys",
    "nightout.reports",
    "nightout.retention",
    "nightout.backups",
    "nightout.visits",
    "ninja", "nightout.api",  # the JSON API; "ninja" serves Swagger UI's own files offline
    "nightout.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the body: a body over UPLOAD_MAX_MB is refused unread (413).
    "nightout.middleware.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Other sites may read the public data (CORS_URLS_REGEX below); it answers their preflight.
    "corsheaders.middleware.CorsMiddleware",
    # gzip for JSON, calendars and feeds (never an HTML page, which may carry a CSRF token);
    # outside the conditional GET, so that an ETag is made from the uncompressed body.
    "nightout.middleware.MachineReadableGZipMiddleware",
    # ETag and 304 (If-None-Match, If-Modified-Since), for GET and HEAD; not for no-store.
    "nightout.middleware.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who may keep each answer: private, staff, token and form pages no-store, private; public
    # files and pages public with a max-age (nightout/middleware.py).
    "nightout.middleware.CacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An `Invalid` no view caught: the 422 page in the site's layout (nightout/error_pages.py).
    "nightout.error_pages.InvalidMiddleware",
]

# Background tasks (solving visit plans). The default runs them inline in the web process;
# production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `nightout db_worker`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND.startswith("django_tasks_db."):
    INSTALLED_APPS.append("django_tasks_db")
# Processes the visit planner may use (0: every core).
PLANNER_WORKERS = env.int("PLANNER_WORKERS", default=0)

ROOT_URLCONF = "nightout.urls"
WSGI_APPLICATION = "nightout.wsgi.application"
ASGI_APPLICATION = "nightout.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "nightout.accounts.context_processors.roles",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL is a URL change.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a busy database instead of failing; take the write lock up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# fields.W161 warns about a fixed date or time default in case it was meant to be "now"; for a
# TimeField it compares the default with the clock, so the season's default hours (17:00,
# 21:00, ...) set it off in the ten seconds around those times of day, and `check --deploy
# --fail-level WARNING` with them. Those defaults are times of day on purpose.
SILENCED_SYSTEM_CHECKS = ["fields.W161"]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"  # the season the person works on
LOGOUT_REDIRECT_URL = "registry:home"

LANGUAGE_CODE = "en-us"
# The site's languages, the first the default: the trust pulse survey is offered in each
# (nightout.surveys.views reads this list, and no other).
LANGUAGES = [("en", "English"), ("es", "Español")]
# The site's own words shared by every page (the header, the footer); each app has its own.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The server's own zone; every event time is stored aware and shown in its jurisdiction's zone.
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Uploaded files (hosts' photos). They are served only through views that check who asks.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The largest request body taken, in MB (a host's photos sent at once, a coordinator's
# spreadsheet): a larger one is refused with 413 before it is read (nightout/middleware.py).
# The proxy's own limit (nginx client_max_body_size) is set a little above it: docs/deploy.md.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
# Form fields and JSON bodies, files aside: nightout's largest (a decision on a whole queue of
# registrations) is a few kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A file larger than this is spooled to a temporary file while it is read, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

STATIC_URL = "static/"
# Leaflet's files come from the django-leaflet package. The package is not an installed app:
# its admin widgets need GeoDjango and GDAL, which nightout does not use.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Outgoing mail, as one URL (consolemail://, smtp+tls://user:password@host:587, ...) turned
# into Django's MAILERS.
_mail = env.email_url("EMAIL_URL", default="consolemail://")
_MAIL_OPTIONS = {
    "EMAIL_HOST": "host", "EMAIL_PORT": "port", "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password", "EMAIL_USE_TLS": "use_tls", "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout", "EMAIL_FILE_PATH": "file_path",
}
MAILERS = {
    "default": {
        "BACKEND": _mail["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _mail[key]
            for key, option in _MAIL_OPTIONS.items()
            if _mail.get(key) not in (None, "", False)
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="nightout <nightout@localhost>")
# The site's public address, for links in emails (a host's private link).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Map tiles. The maps work without them (offline the background stays blank).
MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env.str(
    "MAP_ATTRIBUTION", default="&copy; OpenStreetMap contributors"
)

# Host contacts, private links and raw survey answers are purged this many days after a
# season's night (`nightout purge --apply`, run daily by the scheduler: see docs/retention.md).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=365)
# Survey figures are published only for groups of at least this many answers.
SURVEY_MIN_GROUP = env.int("SURVEY_MIN_GROUP", default=10)
# Survey answers one connection may send per hour.
SURVEY_RATE = env.str("SURVEY_RATE", default="10/h")
# An event's survey link takes at most this many answers, or the event's expected attendance
# when the host expects more; further answers are thanked but not stored (docs/privacy.md).
SURVEY_MAX_PER_EVENT = env.int("SURVEY_MAX_PER_EVENT", default=50)

# Shared counters for rate limits. The default lives in one process's memory; with several
# web processes, point CACHE_URL at a shared cache (dbcache://nightout_cache after
# `nightout createcachetable`, or redis://...).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://nightout")}
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# The finder keeps its public pages and feeds (and the result cards and menus they are made
# of) for at most this many seconds (0 turns it off); a registration, change or approval
# shows at once (docs/finder.md).
FINDER_CACHE_SECONDS = env.int("FINDER_CACHE_SECONDS", default=60)
# It keeps them in a cache of its own: by default each web process keeps its own copies, at
# most MAX_ENTRIES of them. Nothing needs sharing: every key carries the fingerprint of the
# data, and a kept page costs no round trip to a shared cache.
CACHES["finder"] = env.cache_url("FINDER_CACHE_URL", default="locmemcache://nightout-finder")
CACHES["finder"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 3000)
# Each web process reads that fingerprint at most once in this many seconds, so that a kept
# page needs no query: a write shows at once in the process that made it, in the others
# within this time (0: read on every request).
FINDER_VERSION_SECONDS = env.float("FINDER_VERSION_SECONDS", default=1.0)
# Registrations one address may send per hour.
REGISTRATION_RATE = env.str("REGISTRATION_RATE", default="20/h")
# Failed sign-ins allowed per username and per address in a window ("10/15m": 10 in 15
# minutes); then every sign-in for either is refused until the window ends.
LOGIN_RATE = env.str("LOGIN_RATE", default="10/15m")

# Only over HTTPS: a production behind TLS sets SECURE_COOKIES=true.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# HTTPS only: plain HTTP requests are redirected, and browsers are told to remember it.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# A load balancer's health probe may come over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a reverse proxy that ends TLS: the header it sets to "https" on secure requests
# (X-Forwarded-Proto). Only when the proxy always sets or strips it.
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# Behind a reverse proxy every request comes from the proxy's address, so the rate limits
# would count all visitors as one: the header in which the proxy passes the visitor's address
# (X-Real-IP), set by the proxy on every request. Empty: the connection's own address.
_client_ip_header = env.str("CLIENT_IP_HEADER", default="")
if _client_ip_header:
    RATELIMIT_IP_META_KEY = "HTTP_" + _client_ip_header.upper().replace("-", "_")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites (the map tile server, whose usage policy asks for it) learn only our origin.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No page may be framed, except the finder's widget (frame-ancestors below, and
# xframe_options_exempt on the view).
X_FRAME_OPTIONS = "DENY"

# Cross-origin reads (django-cors-headers): a town's own site may read the public API, the
# GeoJSON, the calendars and the feeds from its pages, with GET and HEAD (and the browser's
# OPTIONS preflight), without credentials; nothing else is readable from another origin.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_URLS_REGEX = (r"^/(api/(openapi\.json|events(/\d+)?|seasons(/[^/]+)?)"
                   r"|feeds/.+|map/points\.geojson|events/\d+\.ics)$")
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# Headers a page may send: those for asking again (a conditional GET) and the usual ones.
CORS_ALLOW_HEADERS = ("accept", "accept-language", "content-language", "if-modified-since",
                      "if-none-match")
# Besides those every reader sees: the ETag, for asking again.
CORS_EXPOSE_HEADERS = ("ETag",)

# Content security policy: scripts, styles, fonts and frames only from this site; images also
# from the map tile server. Inline <script> and <style> need nonce="{{ csp_nonce }}", and only
# on pages the finder does not keep in its cache (a kept page would carry a stale nonce; the
# nonce django-htmx puts on its script tag does not matter, as 'self' allows the file);
# style="" attributes and onclick="" handlers are refused, so pages use classes and
# static scripts. The widget overrides frame-ancestors (nightout.finder.views.widget).
# The tile server's origin; a {s} subdomain placeholder becomes a wildcard.
_tiles = urlsplit(MAP_TILES_URL.replace("{s}.", "*."))
_tile_origin = [f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *_tile_origin],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
CSP_REPORT_URI = env.str("CSP_REPORT_URI", default="")
if CSP_REPORT_URI:
    SECURE_CSP["report-uri"] = CSP_REPORT_URI
# Sites that may embed the finder's widget in an iframe (comma-separated; * is any site).
WIDGET_FRAME_ANCESTORS = env.list("WIDGET_FRAME_ANCESTORS", default=["*"])
# During a rollout, report violations without refusing anything.
if env.bool("CSP_REPORT_ONLY", default=False):
    SECURE_CSP_REPORT_ONLY, SECURE_CSP = SECURE_CSP, {}

# Django's own request logs keep no line for the survey's address: with its time and address,
# such a line could be matched against an answer (nightout/surveys/logfilter.py; the web
# server's and the proxy's access logs: docs/deploy.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_survey_answers": {"()": "nightout.surveys.logfilter.LeaveOutSurveyAnswers"}},
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {"console": {"class": "logging.StreamHandler"},
                 "django.server": DEFAULT_LOGGING["handlers"]["django.server"]},
    "loggers": {
        "django.server": {**DEFAULT_LOGGING["loggers"]["django.server"],
                          "filters": ["no_survey_answers"]},
        "django.request": {"filters": ["no_survey_answers"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
