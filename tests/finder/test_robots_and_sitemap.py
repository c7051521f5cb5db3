"""robots.txt and the sitemaps, read as crawlers read them: Python's own robots.txt parser
and the sitemaps.org rules (tests/finder/sitemap_rules.py)."""

from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

from nightout.finder import feeds
from nightout.registry.actors import Actor
from nightout.registry.links import manage_token
from nightout.registry.services import event_cancel
from tests.finder import sitemap_rules

pytestmark = pytest.mark.django_db


def robots(client) -> RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_txt_names_the_sitemap_which_answers(client, publish):
    publish(title="Robinson Park Night Out")
    (sitemap,) = robots(client).site_maps()
    assert sitemap == "http://testserver/sitemap.xml"
    assert client.get(sitemap).status_code == 200


def test_robots_txt_lets_crawlers_read_public_pages_and_keeps_them_off_private_ones(
        client, publish):
    event = publish(title="Robinson Park Night Out")
    parser = robots(client)
    public = ["/", "/?q=Agawam", reverse("finder:event", args=[event.pk]),
              reverse("finder:event_ics", args=[event.pk]), reverse("finder:events_atom"),
              reverse("registry:register_index"), "/sitemap.xml"]
    private = [reverse("registry:manage", args=[manage_token(event)]),
               reverse("registry:review_seasons"), "/admin/", "/accounts/login/",
               "/api/docs", "/api/events", reverse("finder:map_points"), "/plan/",
               reverse("surveys:answer", args=["a-private-token"])]
    for path in public:
        assert parser.can_fetch("*", "http://testserver" + path), path
    for path in private:
        assert not parser.can_fetch("*", "http://testserver" + path), path


def test_a_sitemap_chunk_that_does_not_exist_answers_404(client, publish):
    publish(title="Robinson Park Night Out")
    assert client.get(reverse("finder:sitemap_events", args=[0])).status_code == 200
    assert client.get(reverse("finder:sitemap_events", args=[7])).status_code == 404


def test_the_first_chunk_names_the_finder_even_before_any_event(client):
    body = client.get(reverse("finder:sitemap_events", args=[0])).content
    assert sitemap_rules.locs(body) == ["http://testserver/"]


def test_the_sitemap_index_and_every_chunk_keep_the_sitemaps_org_rules(
        client, publish, monkeypatch):
    monkeypatch.setattr(feeds, "SITEMAP_CHUNK", 2)
    events = [publish(title=f"Party {n}", address=f"{100 + 100 * n} Elm Street")
              for n in range(7)]
    # The ids of a whole chunk that hold no public event any more: one never approved, one
    # cancelled.
    first = events[0].pk
    gone = [e for e in events if e.pk // 2 == first // 2 + 1]
    assert len(gone) == 2
    event_cancel(event=gone[0], actor=Actor.host(gone[0]))
    event_cancel(event=gone[1], actor=Actor.host(gone[1]))
    index_url = "http://testserver/sitemap.xml"
    index = client.get(index_url)
    assert index["Content-Type"].startswith("application/xml")
    assert sitemap_rules.problems(index.content, sitemap_url=index_url, index=True) == []
    listed = []
    for chunk_url in sitemap_rules.locs(index.content):
        chunk = client.get(chunk_url)
        assert chunk.status_code == 200, chunk_url
        assert sitemap_rules.problems(chunk.content, sitemap_url=chunk_url, index=False) == []
        listed += sitemap_rules.locs(chunk.content)
    shown = [e for e in events if e not in gone]
    assert listed == ["http://testserver/"] + [f"http://testserver/events/{e.pk}/" for e in shown]
    empty = reverse("finder:sitemap_events", args=[gone[0].pk // 2])
    assert f"http://testserver{empty}" not in sitemap_rules.locs(index.content)
    assert client.get(empty).status_code == 404


def test_the_sitemap_rules_catch_what_they_are_for():
    url = "http://testserver/sitemap-events-0.xml"
    head = b'<?xml version="1.0" encoding="UTF-8"?>'
    empty = head + b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert sitemap_rules.problems(empty, sitemap_url=url, index=False)
    elsewhere = head + (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                        b'<loc>http://example.org/events/1/</loc></url></urlset>')
    assert sitemap_rules.problems(elsewhere, sitemap_url=url, index=False)
    bad_date = head + (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                       b'<loc>http://testserver/events/1/</loc><lastmod>1 Aug 2017</lastmod>'
                       b'</url></urlset>')
    assert sitemap_rules.problems(bad_date, sitemap_url=url, index=False)
    good = bad_date.replace(b"1 Aug 2017", b"2017-08-01T17:00:00-04:00")
    assert sitemap_rules.problems(good, sitemap_url=url, index=False) == []
