"""The trust pulse's figures: published once, after the survey closes, with noise drawn once
and stored; nothing live before, for the public or the coordinator."""

import datetime as dt
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from nightout.registry.models import EventStatus, Jurisdiction, Region
from nightout.registry.services import season_create
from nightout.surveys.models import SurveySummary
from nightout.surveys.noise import NoiseParams, epsilon_spent, guess_bound
from nightout.surveys.selectors import answer_counts, survey_closes_at, trust_results
from nightout.surveys.services import response_submit, summary_publish, survey_open

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[-73, 41], [-72, 41], [-72, 43], [-73, 43],
                                              [-73, 41]]]}


def answer(event, when, **fields):
    values = {"respect": 4, "listen": 5, "safe": 3, "changed": "better", "come_again": "yes",
              **fields}
    return response_submit(event=event, answers=values, language="en", now=when)


@pytest.fixture
def tonight(jurisdiction, make_event):
    """A party that ended an hour ago, in a season of this year, and its 12 answers."""
    now = timezone.now()
    season = season_create(jurisdiction=jurisdiction, year=timezone.localdate().year,
                           slug="agawam-this-year", nno_date=timezone.localdate())
    party = make_event(season=season, status=EventStatus.APPROVED,
                       starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1))
    for _ in range(12):
        answer(party, now)
    return party


def test_nothing_is_published_while_the_survey_takes_answers(client, tonight):
    season = tonight.season
    closes = survey_closes_at(season=season)
    assert summary_publish(season=season, now=closes - dt.timedelta(minutes=1)) is None
    url = reverse("surveys:results", args=[season.slug])
    html = client.get(url).content.decode()
    assert "published once the survey has closed" in html
    assert closes.strftime("%-d %B %Y, %-I:%M %p") in html
    assert "people answered" not in html and "<table" not in html  # no count, no figure
    data = client.get(url, {"format": "json"}).json()
    assert data == {"published": False, "publishes_at": closes.isoformat(), "threshold": 10}
    assert not SurveySummary.objects.exists()


def test_the_survey_closes_sixty_days_after_the_latest_end_on_the_towns_clock(
        season, make_event):
    zone = season.jurisdiction.zone
    # The night ends at 22:00 at the latest (the season's window): 60 days later.
    assert survey_closes_at(season=season) == dt.datetime(2017, 9, 30, 22, tzinfo=zone)
    # A party with a rain date two days later, 17:00 to 21:00: its survey stays open for 60
    # days after it ends on its rain date, and so does the season's.
    rained = make_event(status=EventStatus.APPROVED, rain_date=dt.date(2017, 8, 3))
    closes = dt.datetime(2017, 10, 2, 21, tzinfo=zone)
    assert survey_closes_at(season=season) == closes
    assert survey_open(rained, closes) and not survey_open(rained, closes + dt.timedelta(seconds=1))
    # The town's own rain date, to the end of the night's window.
    season.rain_date = dt.date(2017, 8, 8)
    season.save()
    assert survey_closes_at(season=season) == dt.datetime(2017, 10, 7, 22, tzinfo=zone)


def test_the_close_is_counted_on_the_towns_clock_across_a_change_of_time():
    texas = Jurisdiction.objects.create(name="Plano", slug="plano", state="TX",
                                        time_zone="America/Chicago", center_latitude=33.02,
                                        center_longitude=-96.7)
    october = season_create(jurisdiction=texas, year=2017, slug="plano-2017",
                            nno_date=dt.date(2017, 10, 3))
    # 60 days after 22:00 on 3 October is 22:00 on 2 December, though clocks went back.
    assert survey_closes_at(season=october) == dt.datetime(2017, 12, 2, 22,
                                                           tzinfo=ZoneInfo("America/Chicago"))


def test_figures_are_drawn_once_and_every_request_shows_the_same(client, event):
    event.status = EventStatus.APPROVED
    event.save()
    for n in range(30):
        answer(event, event.starts_at, respect=1 + n % 5)
    url = reverse("surveys:results", args=[event.season.slug])
    first = client.get(url, {"format": "json"}).json()
    assert first["published"] and first["respondents"] is not None
    for _ in range(3):
        assert client.get(url, {"format": "json"}).json() == first
    assert SurveySummary.objects.count() == 1
    assert summary_publish(season=event.season, params=NoiseParams(epsilon=1e4)).figures == \
        SurveySummary.objects.get().figures  # publishing again changes nothing
    # The figures carry noise: with 16 counts, all of them exact would be a 1 in 10^9 draw.
    exact = answer_counts(season=event.season)[0]
    published = first["season"]["figures"]
    assert any(published[item] is None or published[item]["counts"] != exact.items[item]
               for item in exact.items)
    # The shares are worked out from the noisy counts.
    for figure in filter(None, published.values()):
        assert figure["answered"] == sum(figure["counts"].values())
        assert figure["shares"] == {k: round(100 * n / figure["answered"], 1)
                                    for k, n in figure["counts"].items()}


def test_a_200_answer_season_is_published_within_a_few_points(season, make_event):
    season.jurisdiction.districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": n}, "geometry": SQUARE}
        for n in ("North", "South")]}
    season.jurisdiction.save()
    for district in ("North", "South"):
        party = make_event(status=EventStatus.APPROVED, district=district,
                           expected_attendance=100)
        for n in range(100):  # 75 % agree: 40 strongly, 35 agree, then 12, 8, 5
            respect = 5 if n < 40 else 4 if n < 75 else 3 if n < 87 else 2 if n < 95 else 1
            answer(party, party.starts_at, respect=respect)
    summary_publish(season=season)
    results = trust_results(season=season)
    figure = results["season"].figures["respect"]
    # ε = 3 in a town with districts: scale 4, about 3 points off on average; 15 points would
    # be a one in several thousand draw.
    assert abs(figure.agree - 75.0) < 15
    assert results["privacy"]["scale"] == 4.0 and results["privacy"]["epsilon"] == 3.0


def test_the_privacy_budget_is_the_documented_one():
    params = NoiseParams()
    # OpenDP's own accounting of the mechanism at the sensitivity: ε per respondent.
    assert epsilon_spent(params, groups=1) == pytest.approx(3.0)
    assert epsilon_spent(params, groups=2) == pytest.approx(3.0)
    assert params.scale(groups=2) == 4.0 and params.scale(groups=1) == 2.0
    assert params.epsilon_per_answer == pytest.approx(1.0)
    assert round(100 * guess_bound(1.0, 5)) == 40 and round(100 * guess_bound(1.0, 3)) == 58
    privacy = " ".join((Path(settings.BASE_DIR) / "docs/privacy.md").read_text().split())
    for words in ("ε = 3 per respondent", "scale 4", "scale 2", "ε = 1", "40 %", "58 %"):
        assert words in privacy, words


def test_public_pages_show_no_figure_and_no_count_until_the_survey_closes(client, tonight):
    region = Region.objects.create(name="Western Massachusetts", slug="wm")
    tonight.season.jurisdiction.regions.add(region)
    html = client.get(reverse("reports:transparency", args=[region.slug])).content.decode()
    assert "not yet published" in html and ">12<" not in html
    from nightout.accounts.models import Membership, Role, User

    organizer = User.objects.create_user("riley")
    Membership.objects.create(user=organizer, role=Role.REGIONAL_ORGANIZER, region=region)
    client.force_login(organizer)
    csv = client.get(reverse("reports:region", args=[region.slug]),
                     {"format": "csv"}).content.decode()
    assert "not yet published" in csv and ",12\r" not in csv
    assert not SurveySummary.objects.filter(season=tonight.season).exists()


def test_the_first_view_after_the_close_publishes_for_the_region_too(client, season, event):
    event.status = EventStatus.APPROVED
    event.save()
    for _ in range(30):
        answer(event, event.starts_at)
    region = Region.objects.create(name="Western Massachusetts", slug="wm")
    season.jurisdiction.regions.add(region)
    html = client.get(reverse("reports:transparency", args=[region.slug])).content.decode()
    summary = SurveySummary.objects.get(season=season)
    assert f'data-label="Survey answers">{summary.figures["respondents"]}</td>' in html


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_views_publish_one_set_of_figures(on_postgresql, season, event):
    event.status = EventStatus.APPROVED
    event.save()
    for _ in range(12):
        answer(event, event.starts_at)
    barrier = threading.Barrier(6)
    published = []

    def view():
        try:
            barrier.wait()
            published.append(summary_publish(season=season).figures)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(published) == 6 and SurveySummary.objects.count() == 1
    assert all(figures == SurveySummary.objects.get().figures for figures in published)


def test_moderated_comments_are_shown_with_the_results_not_before(client, tonight,
                                                                  coordinator, monkeypatch):
    from nightout.surveys.models import SurveyResponse
    from nightout.surveys.services import comment_moderate

    now = timezone.now()
    said = answer(tonight, now, comment="The officers played catch with the kids.")
    comment_moderate(response=SurveyResponse.objects.get(pk=said.pk), user=coordinator,
                     publish=True)
    url = reverse("surveys:results", args=[tonight.season.slug])
    assert "played catch" not in client.get(url).content.decode()
    after = survey_closes_at(season=tonight.season) + dt.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    assert "played catch" in client.get(url).content.decode()
