"""`/healthz`: 200 `ok` while the database and the cache answer, 503 naming what failed."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_without_cookies_or_caching(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_health_check_answers_503_naming_the_database_when_its_query_fails(client):
    broken = mock.MagicMock()
    broken.cursor.return_value.__enter__.return_value.execute.side_effect = OperationalError(
        "connection refused")
    with mock.patch("nightout.health.connection", broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"failed: database\n"
    assert "no-store" in response["Cache-Control"]


def test_health_check_answers_503_naming_the_cache_when_it_keeps_nothing(client):
    with mock.patch("nightout.health.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"failed: cache\n"


def test_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/seasons/").status_code == 301


def test_health_check_only_reads(client):
    assert client.post("/healthz").status_code == 405
