"""A host who lost the private link asks for it again; a broken or expired link says what to
do next, in the site's layout."""


import pytest
from django.core.cache import cache
from django.urls import reverse

from nightout.registry.links import manage_url
from nightout.registry.models import HostContact
from nightout.registry.services import season_create
from nightout.registry.throttle import LINK_REQUEST_RATE

pytestmark = pytest.mark.django_db
URL = "/manage/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for the links of `email`, the mail sent as after the request's commit."""
    def post(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"email": email}, **extra)

    return post


@pytest.fixture
def hosted(jurisdiction, make_event):
    """Two parties of one host in a season still ahead, and another host's."""
    upcoming = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    events = []
    for title, email in (("Elm Street", "Pat@Example.org"), ("Oak Street", "pat@example.org"),
                         ("Birch Road", "sam@example.org")):
        event = make_event(season=upcoming, title=title, manage_secret=f"secret-{title[:3]}")
        HostContact.objects.create(event=event, name="Host", email=email)
        events.append(event)
    return events


def test_a_host_who_lost_the_link_gets_it_again_by_email(client, ask, hosted, mailoutbox):
    response = ask("PAT@example.org", follow=True)
    assert response.status_code == 200
    assert "we have emailed the private link" in response.content.decode()
    # One mail to each address the host gave, each with its own parties' links only.
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["Pat@Example.org", "pat@example.org"]
    elm, oak, birch = hosted
    assert manage_url(elm) in by_address["Pat@Example.org"].body
    assert manage_url(oak) in by_address["pat@example.org"].body
    assert all(manage_url(birch) not in mail.body for mail in mailoutbox)
    # The link mailed opens the party's private page.
    assert "Elm Street" in client.get(manage_url(elm)).content.decode()


def test_the_page_says_the_same_whether_or_not_the_address_hosts_a_party(ask, hosted,
                                                                           mailoutbox):
    import re

    def answer(email):
        response = ask(email, follow=True)
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return response.status_code, html.replace(email, "ADDRESS")

    assert answer("sam@example.org") == answer("nobody@example.org")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sam@example.org"]


def test_no_link_is_mailed_for_a_season_long_over(ask, make_event, mailoutbox):
    old = make_event(title="Old party", manage_secret="secret")  # the 2017 season
    HostContact.objects.create(event=old, name="Host", email="pat@example.org")
    assert ask("pat@example.org").status_code == 302
    assert mailoutbox == []


def test_asking_is_rate_limited_by_connection_and_by_address(ask, hosted, mailoutbox):
    limit = int(LINK_REQUEST_RATE.split("/")[0])
    for n in range(limit):
        assert ask(f"guess{n}@example.org").status_code == 302
    refused = ask("sam@example.org")
    assert refused.status_code == 429 and "too often" in refused.content.decode()
    # From many connections, one address is not mailed without end either (the refused
    # request counted for it too).
    for n in range(limit - 1):
        assert ask("sam@example.org", REMOTE_ADDR=f"203.0.113.{n}").status_code == 302
    assert ask("sam@example.org", REMOTE_ADDR="198.51.100.1").status_code == 429
    assert len(mailoutbox) == limit - 1


def test_an_address_that_is_not_one_is_told_what_to_fix(client, db):
    response = client.post(URL, {"email": "not an address"})
    assert response.status_code == 400 and "Enter a valid email address." in (
        response.content.decode())


def test_a_broken_private_link_is_a_page_in_the_layout_offering_a_new_link(client, hosted):
    response = client.get(reverse("registry:manage", args=["broken-token"]))
    html = response.content.decode()
    assert response.status_code == 404 and 'class="site"' in html
    assert "not valid" in html and f'href="{URL}"' in html


def test_an_expired_private_link_says_so_and_points_to_registering(client, make_event):
    old = make_event(title="Old party", manage_secret="secret")
    response = client.get(manage_url(old))
    html = response.content.decode()
    assert response.status_code == 404 and 'class="site"' in html
    assert "has expired" in html and reverse("registry:register_index") in html


def test_a_private_link_cut_short_lands_on_a_404_offering_a_new_link(client, db):
    response = client.get("/manage/abc/edit/more/")
    html = response.content.decode()
    assert response.status_code == 404 and 'class="site"' in html and f'href="{URL}"' in html


def test_the_asking_page_is_kept_by_no_cache(client, db):
    assert "no-store" in client.get(URL)["Cache-Control"]
