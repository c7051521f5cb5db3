"""Errors are pages in the site's layout that say what to do next, and the project's own
errors (nightout.errors) are answered in one place: 403, 404 and 422, for pages and the API."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import path

from nightout import error_pages
from nightout import urls as project_urls
from nightout.api.api import api
from nightout.errors import Invalid, NotAllowed, NotFound, messages_of

pytestmark = pytest.mark.django_db


def refuse(request):
    raise NotAllowed("You may not review events of Lakeport.")


def missing(request):
    raise NotFound("That plan was removed.")


def invalid(request):
    raise Invalid({"ends": ["The party must end after it starts."]})


def internal(request):
    raise PermissionError("/var/lib/secret: permission denied")


urlpatterns = [
    path("refuse/", refuse),
    path("missing/", missing),
    path("invalid/", invalid),
    path("internal/", internal),
    *project_urls.urlpatterns,
]
handler403 = error_pages.forbidden
handler404 = error_pages.not_found
handler500 = error_pages.server_error


def test_the_errors_are_the_django_exceptions_of_their_kind():
    assert isinstance(NotAllowed("x"), PermissionDenied)
    assert isinstance(NotFound("x"), Http404)
    assert isinstance(Invalid("x"), ValidationError)
    assert messages_of(Invalid({"ends": ["Too late."]})) == ("Too late.", {"ends": ["Too late."]})


def test_an_unknown_address_is_a_404_page_in_the_layout_with_somewhere_to_go(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing here" in html
    assert 'class="site"' in html  # the site's header: the layout, not Django's bare page
    assert 'href="/find/' in html or "Find a party" in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_says_why_and_offers_the_sign_in_to_a_visitor(client):
    response = client.get("/refuse/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not review events of Lakeport." in html
    assert "Staff sign-in" in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_missing_thing_says_what_is_missing(client):
    response = client.get("/missing/")
    assert response.status_code == 404
    assert "That plan was removed." in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_invalid_input_no_view_caught_is_a_422_page_listing_what_to_fix(client):
    response = client.get("/invalid/")
    assert response.status_code == 422
    assert "The party must end after it starts." in response.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_that_is_not_ours_shows_no_internals():
    from django.test import Client

    response = Client(raise_request_exception=False).get("/internal/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "/var/lib/secret" not in html


@pytest.mark.parametrize(("error", "status"), [
    (NotAllowed("You may not see this agency's units."), 403),
    (NotFound("No such unit."), 404),
    (Invalid({"name": ["Give the unit a name."]}), 422),
])
def test_the_api_answers_each_of_our_errors_with_its_status_and_messages(error, status):
    response = api.on_exception(RequestFactory().get("/api/units"), error)
    body = json.loads(response.content)
    assert response.status_code == status
    assert body["detail"] == messages_of(error)[0]
    assert body["errors"] == messages_of(error)[1]
