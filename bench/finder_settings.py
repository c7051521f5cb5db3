"""Settings for the finder benchmark: nightout's own, plus one trivial view as the reference."""

from nightout.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.finder_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
