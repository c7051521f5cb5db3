"""Settings for the search benchmark: the finder benchmark's, with the server time measured
(`bench/server_timing.py`, outermost)."""

from bench.finder_settings import *  # noqa: F401,F403
from bench.finder_settings import MIDDLEWARE

MIDDLEWARE = ["bench.server_timing.ServerTimingMiddleware", *MIDDLEWARE]
