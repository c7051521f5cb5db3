"""Failed sign-ins are throttled per username and per address (LOGIN_RATE)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from nightout.accounts.models import User

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
THIRD = "10.0.0.3"


@pytest.fixture(autouse=True)
def three_failures(settings, monkeypatch):
    import time

    # The counters' windows are fixed stretches of the clock: a test that ran across the end
    # of one would see its count start again. The clock stands still unless a test moves it.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    settings.LOGIN_RATE = "3/15m"
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(db):
    return {name: User.objects.create_user(name, password=f"right-{name}")
            for name in ("casey", "lee")}


def sign_in(client, username, password, address=HOME, url=None):
    return client.post(url or reverse("accounts:login"),
                       {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, address=HOME):
    for _ in range(times):
        response = sign_in(client, username, "wrong", address)
        assert response.status_code == 200 and not signed_in(client)


def test_a_correct_password_works_under_the_limit(client, users):
    fail(client, "casey", 2)
    response = sign_in(client, "casey", "right-casey")
    assert response.status_code == 302 and signed_in(client)


def test_after_the_limit_even_the_right_password_is_refused_with_a_clear_message(client, users):
    fail(client, "casey", 3)
    response = sign_in(client, "casey", "right-casey")
    assert response.status_code == 429 and not signed_in(client)
    page = response.content.decode()
    assert re.search(r"Too many attempts; try again in 1?\d minutes?\.", page)
    assert 'role="alert"' in page and '<form method="post"' in page


def test_the_message_counts_the_minutes_left(client, users):
    fail(client, "casey", 3)
    page = sign_in(client, "casey", "wrong").content.decode()
    minutes = int(page.split("try again in ")[1].split(" minute")[0])
    assert 1 <= minutes <= 15


def test_the_username_is_throttled_from_any_address_and_in_any_case(client, users):
    fail(client, "casey", 3)
    response = sign_in(client, "CASEY", "right-casey", address=ELSEWHERE)
    assert response.status_code == 429 and not signed_in(client)


def test_other_users_elsewhere_are_not_affected(client, users):
    fail(client, "casey", 3)
    response = sign_in(client, "lee", "right-lee", address=ELSEWHERE)
    assert response.status_code == 302 and signed_in(client)


def test_an_address_trying_many_usernames_is_throttled(client, users):
    for name in ("ann", "bob", "cat"):
        fail(client, name, 1, address=THIRD)
    response = sign_in(client, "lee", "right-lee", address=THIRD)
    assert response.status_code == 429 and not signed_in(client)
    assert sign_in(client, "lee", "right-lee", address=ELSEWHERE).status_code == 302


def test_the_counters_reset_when_the_window_ends(client, users, monkeypatch):
    import time

    fail(client, "casey", 3)
    assert sign_in(client, "casey", "right-casey").status_code == 429
    later = time.time() + 16 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert sign_in(client, "casey", "right-casey").status_code == 302


def test_the_administration_sign_in_is_throttled_too(client, users):
    User.objects.create_superuser("root", password="right-root")
    url = reverse("admin:login")
    for _ in range(3):
        assert sign_in(client, "root", "wrong", url=url).status_code == 200
    response = sign_in(client, "root", "right-root", url=url)
    assert not signed_in(client)
    assert "Too many attempts; try again in" in response.content.decode()
