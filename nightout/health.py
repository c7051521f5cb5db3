"""`/healthz`: whether this web process can serve, for load balancers and monitors.

It asks the database a trivial query and writes and reads back one key in the cache, and
answers `200 ok`, or `503` naming the parts that failed. Plain text, no session, no cookie,
never cached; nothing about the site's data is read.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_KEY = "nightout:healthz"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("the database did not answer 1")


def _cache() -> None:
    token = secrets.token_hex(8)
    cache.set(CACHE_KEY, token, 30)
    if cache.get(CACHE_KEY) != token:
        raise RuntimeError("the cache did not keep a value")


@never_cache
@require_safe
def healthz(request):
    failed = []
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure is the answer, logged for the operator
            logger.exception("health check: %s failed", name)
            failed.append(name)
    if failed:
        return HttpResponse(f"failed: {', '.join(failed)}\n", status=503,
                            content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
