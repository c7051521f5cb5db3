"""Private pages are kept by no cache: the host's private-link pages, every page for signed-in
staff and every answer to a signed-in user or an agency's token carry `Cache-Control: no-store`
and `private`; public pages, for visitors, keep their caching (nightout/middleware.py).

The walk reuses the access table: each page that not everyone may open is requested as a role
allowed to open it."""

import pytest
from django.urls import reverse

from nightout.api.services import agency_token_create
from tests.security.test_access_matrix import EVERYONE, MATRIX, _request, _url

pytestmark = pytest.mark.django_db

# Open to everyone, yet private all the same: sign-in and sign-out, the registration form,
# the lost-link form and the survey (each a form with its CSRF token; the survey also reads
# the visitor's own cookie; the lost-link answer must look the same whether or not an address
# matched), the health check (never cached), the crew's service worker (under the crew's /plan/).
EVERYONE_BUT_PRIVATE = {"accounts:login", "accounts:logout", "registry:register",
                        "registry:link_request", "surveys:answer", "healthz",
                        "visits:service_worker",
                        # a forgotten password's pages: forms, and a one-time link's answer
                        "accounts:password_reset", "accounts:password_reset_done",
                        "accounts:password_reset_confirm", "accounts:password_reset_complete",
                        # an invitation's page: a form to make an account
                        "accounts:invitation"}


def directives(response) -> set[str]:
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")
            if d.strip()}


def private_rows():
    return [row for row in MATRIX
            if (row.allowed and row.allowed != EVERYONE)
            or (row.allowed == EVERYONE and row.name in EVERYONE_BUT_PRIVATE)]


def as_role(client, world, row):
    role = "anonymous" if row.allowed == EVERYONE else sorted(row.allowed)[0]
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
    return role


def test_every_private_page_answers_no_store_and_private(client, world):
    wrong = []
    for row in private_rows():
        client.logout()
        role = as_role(client, world, row)
        url = _url(world, row, role)
        response = _request(client, row.method, url, row.data)
        assert response.status_code < 500, url
        if not {"no-store", "private"} <= directives(response):
            wrong.append(f"{row.method} {url} as {role}: {response.get('Cache-Control')!r}")
    assert not wrong, "private pages a cache may keep:\n  " + "\n  ".join(wrong)


def test_the_walk_covers_the_host_link_and_each_kind_of_staff_page():
    names = {row.name for row in private_rows()}
    assert {"registry:manage", "registry:manage_edit", "registry:manage_report",
            "registry:queue", "registry:official_list", "visits:board", "visits:phone",
            "visits:itinerary", "reports:season", "reports:region", "reports:photo",
            "accounts:me", "admin:index"} <= names


def test_a_private_page_is_not_kept_even_on_its_way_to_sign_in(client, world):
    response = client.get(reverse("visits:phone", args=[world.season.slug, world.car.pk]))
    assert response.status_code == 302 and "no-store" in directives(response)


def test_public_pages_keep_their_caching_for_visitors(client, world):
    kept = []
    for row in MATRIX:
        if row.allowed != EVERYONE or row.name in EVERYONE_BUT_PRIVATE:
            continue
        url = _url(world, row, "anonymous")
        response = _request(client, row.method, url, row.data)
        if directives(response) & {"no-store", "private"}:
            kept.append(f"{url}: {response.get('Cache-Control')!r}")
    assert not kept, "public pages marked private:\n  " + "\n  ".join(kept)


def test_a_public_page_shown_to_signed_in_staff_is_private(client, world):
    """It carries their name and a sign-out form with their token."""
    assert "no-store" not in directives(client.get(reverse("finder:search")))
    client.force_login(world.users["coordinator"])
    assert {"no-store", "private"} <= directives(client.get(reverse("finder:search")))


def test_an_agencys_answers_to_its_token_are_private(client, world):
    _, raw = agency_token_create(agency=world.police, name="Dispatch console")
    response = client.get(reverse("api:unit_itinerary", args=[world.car.pk]),
                          headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)
