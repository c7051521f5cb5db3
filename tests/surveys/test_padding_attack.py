"""The probe's attack, replayed: one visitor pads a district that has one real answer with nine
made-up ones of known values, through the public survey link, then reads the published
figures. With exact counts that gives the real answer away every time; with the published
noise the visitor guesses it no more often than ε allows."""

import datetime as dt
import math
import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nightout.registry.models import EventStatus
from nightout.registry.services import season_create
from nightout.surveys.models import SurveyResponse, SurveySummary
from nightout.surveys.noise import NoiseParams, guess_bound
from nightout.surveys.selectors import ITEMS, answer_counts, survey_closes_at
from nightout.surveys.services import response_submit
from nightout.surveys.tokens import survey_url

pytestmark = pytest.mark.django_db

TRIALS = 200
SQUARE = {"type": "Polygon", "coordinates": [[[-73, 41], [-72, 41], [-72, 43], [-73, 43],
                                              [-73, 41]]]}
# What the visitor sends nine times: every answer known to them.
PADDING = {"respect": "1", "listen": "1", "safe": "1", "changed": "worse", "come_again": "no"}


def post(url: str, answers: dict, address: str) -> None:
    """One answer from a fresh browser (no cookie) at another address."""
    response = Client().post(url, answers, REMOTE_ADDR=address)
    assert "Thank you!" in response.content.decode()


def best_guess(item: str, counts: dict[str, int] | None, rng: random.Random) -> str:
    """The visitor's guess of the real answer: the answer whose count most exceeds the
    visitor's own nine (at random among ties, and when the item was withheld)."""
    values = ITEMS[item]
    if counts is None:
        return rng.choice(values)
    excess = {v: counts[v] - (9 if v == PADDING[item] else 0) for v in values}
    top = max(excess.values())
    return rng.choice([v for v in values if excess[v] == top])


@pytest.fixture
def padded(jurisdiction, make_event, monkeypatch):
    """A town with two districts: South with 30 residents' answers, North with one real
    answer and the visitor's nine; the survey then closes."""
    jurisdiction.districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": n}, "geometry": SQUARE}
        for n in ("North", "South")]}
    jurisdiction.save()
    now = timezone.now()
    season = season_create(jurisdiction=jurisdiction, year=timezone.localdate().year,
                           slug="agawam-now", nno_date=timezone.localdate())
    hours = {"starts_at": now - dt.timedelta(hours=3), "ends_at": now - dt.timedelta(hours=1)}
    south = make_event(season=season, status=EventStatus.APPROVED, district="South", **hours)
    north = make_event(season=season, status=EventStatus.APPROVED, district="North",
                       title="North Street Party", **hours)
    background = random.Random(2017)
    for _ in range(30):
        response_submit(event=south, language="en", now=now, answers={
            item: (int(v) if v.isdigit() else v)
            for item, v in ((i, background.choice(vs)) for i, vs in ITEMS.items())})
    url = survey_url(north)
    post(url, {"respect": "4", "listen": "2", "safe": "5", "changed": "same",
               "come_again": "maybe"}, "198.51.100.7")
    real = SurveyResponse.objects.get(event=north)
    for n in range(9):
        post(url, PADDING, f"203.0.113.{n + 1}")
    assert SurveyResponse.objects.filter(event=north).count() == 10
    after = survey_closes_at(season=season) + dt.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    return season, real


def published_north(client, season) -> dict:
    data = client.get(reverse("surveys:results", args=[season.slug]), {"format": "json"}).json()
    assert data["published"]
    return next(g for g in data["districts"] if g["name"] == "North")


def test_exact_counts_give_the_real_answer_away_every_time(padded):
    """What the probe did: with the counts as they were published before, the visitor reads
    the real answer to every item, in every trial."""
    season, real = padded
    rng = random.Random(26)
    hits = 0
    for _ in range(20):
        truth = {item: rng.choice(values) for item, values in ITEMS.items()}
        SurveyResponse.objects.filter(pk=real.pk).update(**{
            item: (int(v) if v.isdigit() else v) for item, v in truth.items()})
        _, districts = answer_counts(season=season)
        north = next(g for g in districts if g.name == "North")
        hits += sum(best_guess(item, north.items[item], rng) == truth[item] for item in ITEMS)
    assert hits == 20 * len(ITEMS)


def test_the_published_noise_keeps_the_visitors_guess_within_epsilon(client, padded):
    season, real = padded
    epsilon = NoiseParams().epsilon_per_answer
    rng = random.Random(26)
    tried = {3: 0, 5: 0}
    hits = {3: 0, 5: 0}
    for trial in range(TRIALS):
        # A real answer drawn at random in each trial, and a fresh publication of it.
        truth = {item: rng.choice(values) for item, values in ITEMS.items()}
        if trial:
            SurveyResponse.objects.filter(pk=real.pk).update(**{
                item: (int(v) if v.isdigit() else v) for item, v in truth.items()})
            SurveySummary.objects.filter(season=season).delete()
        else:
            truth = {"respect": "4", "listen": "2", "safe": "5", "changed": "same",
                     "come_again": "maybe"}
        north = published_north(client, season)
        assert north["respondents"] is not None  # the group of 10 is published
        for item, values in ITEMS.items():
            figure = north["figures"][item]
            guess = best_guess(item, figure and figure["counts"], rng)
            tried[len(values)] += 1
            hits[len(values)] += guess == truth[item]
    for choices in (5, 3):
        bound = guess_bound(epsilon, choices)
        n = tried[choices]
        margin = 3 * math.sqrt(bound * (1 - bound) / n)  # three standard errors
        assert hits[choices] / n <= bound + margin, (choices, hits[choices], n, bound)
