"""Answering the trust pulse, moderation, and the published results with their threshold."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nightout.errors import NotAllowed
from nightout.registry.models import EventStatus
from nightout.surveys.models import CommentStatus, SurveyResponse
from nightout.surveys.noise import NoiseParams
from nightout.surveys.selectors import trust_results
from nightout.surveys.services import (
    SurveyFull,
    answers_cap,
    comment_moderate,
    response_submit,
    summary_publish,
)
from nightout.surveys.tokens import survey_url

pytestmark = pytest.mark.django_db

# So much budget that the noise is nil: for tests of which groups are shown, not of the noise.
EXACT = NoiseParams(epsilon=1e4)
SQUARE = {"type": "Polygon", "coordinates": [[[-73, 41], [-72, 41], [-72, 43], [-73, 43],
                                              [-73, 41]]]}


@pytest.fixture
def night(event, season):
    event.status = EventStatus.APPROVED
    event.district = "North"
    event.save()
    return event.starts_at + dt.timedelta(hours=1)


@pytest.fixture
def tonight(event):
    """The event's survey open now: the party started an hour ago."""
    from django.utils import timezone as tz

    event.status = EventStatus.APPROVED
    event.starts_at = tz.now() - dt.timedelta(hours=1)
    event.ends_at = tz.now() + dt.timedelta(hours=2)
    event.save()
    return event


def answers(**fields):
    return {"respect": 4, "listen": 5, "safe": 3, "changed": "better", "come_again": "yes",
            "comment": "", **fields}


def fill(event, n, when, district=None, **fields):
    if district is not None:
        event.district = district
    for _ in range(n):
        response_submit(event=event, answers=answers(**fields), language="en", now=when)


def test_an_answer_keeps_nothing_that_points_at_a_person(event, night):
    response = response_submit(event=event, answers=answers(
        comment="Great night! Text me 413-555-0199"), language="es", now=night)
    names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not names & {"ip", "ip_address", "user", "user_agent", "session", "created_at"}
    assert response.submitted_on == dt.date(2017, 8, 1)  # the day, not the time
    assert response.comment == "Great night! Text me [removed]"
    assert response.comment_status == CommentStatus.PENDING


def test_answers_have_random_keys_and_are_never_listed_in_the_order_they_came(event, night):
    import uuid

    sent = [response_submit(event=event, answers=answers(comment=f"Comment {n}"),
                            language="en", now=night).pk for n in range(40)]
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in sent)
    # Answers of one day are listed by their random key: 40 in the order they came (or its
    # reverse) would be a one in 10^47 draw.
    listed = list(SurveyResponse.objects.values_list("pk", flat=True))
    assert sorted(listed) == listed and listed not in (sent, sent[::-1])
    from nightout.surveys.selectors import comments_to_moderate

    assert list(comments_to_moderate(season=event.season).values_list("pk", flat=True)) == listed


def test_moderating_an_unknown_or_malformed_comment_is_not_found(client, event, night,
                                                                  coordinator):
    client.force_login(coordinator)
    url = reverse("surveys:moderate", args=[event.season.slug])
    for pk in ("12", "not-a-key", "00000000-0000-4000-8000-000000000000"):
        assert client.post(url, {"pk": pk, "decision": "publish"}).status_code == 404


def test_answers_only_for_approved_events_during_and_after_the_night(event, night):
    with pytest.raises(ValidationError, match="opens when the event starts"):
        response_submit(event=event, answers=answers(), language="en",
                        now=event.starts_at - dt.timedelta(minutes=1))
    event.status = EventStatus.SUBMITTED
    event.save()
    with pytest.raises(ValidationError, match="not taking answers"):
        response_submit(event=event, answers=answers(), language="en", now=night)


def test_results_withhold_a_season_under_the_threshold(event, night):
    fill(event, 9, night)
    summary_publish(season=event.season)
    results = trust_results(season=event.season)
    assert results["published"] and results["respondents"] is None
    assert all(f is None for f in results["season"].figures.values())


def test_results_of_a_season_at_the_threshold_are_published(event, night):
    fill(event, 10, night)
    summary_publish(season=event.season, params=EXACT)
    results = trust_results(season=event.season)
    assert results["respondents"] == 10
    assert results["season"].figures["respect"].agree == 100.0


def test_a_small_district_cannot_be_worked_out_from_the_total(event, night, season):
    season.jurisdiction.districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": n}, "geometry": SQUARE}
        for n in ("North", "South")]}
    season.jurisdiction.save()
    fill(event, 25, night, district="North")
    fill(event, 3, night, district="South", respect=1)
    summary_publish(season=season, params=EXACT)
    results = trust_results(season=season)
    assert results["season"].figures["respect"].answered == 28
    # North alone would give South away: 28 − 25 = 3 answers.
    assert all(g.figures["respect"] is None for g in results["districts"])
    assert all(g.respondents is None for g in results["districts"])


def test_results_page_says_withheld_and_shows_no_small_figures(client, event, night):
    fill(event, 4, night)
    html = client.get(reverse("surveys:results", args=[event.season.slug])).content.decode()
    assert "withheld" in html and "Fewer than 10 people" in html and "%" not in html.split(
        "<table")[1]


def test_comments_are_published_only_after_moderation(client, event, night, coordinator):
    fill(event, 1, night, comment="Thank you officers")
    url = reverse("surveys:results", args=[event.season.slug])
    assert "Thank you officers" not in client.get(url).content.decode()
    response = SurveyResponse.objects.get()
    from nightout.accounts.models import User

    with pytest.raises(NotAllowed):
        comment_moderate(response=response, user=User.objects.create_user("x"), publish=True)
    client.force_login(coordinator)
    client.post(reverse("surveys:moderate", args=[event.season.slug]),
                {"pk": response.pk, "decision": "publish"})
    assert "Thank you officers" in client.get(url).content.decode()


def test_the_survey_form_in_english_and_spanish(client, event, tonight, settings):
    url = survey_url(event)
    assert "treat people with respect" in client.get(url).content.decode()
    html = client.get(url, {"lang": "es"}).content.decode()
    assert "trata a las personas con respeto" in html and 'lang="es"' in html
    assert "¿Qué tal esta noche?" in client.get(
        url, headers={"Accept-Language": "es-MX,es;q=0.9"}).content.decode()


def test_a_browser_that_answered_is_thanked_not_counted_again(client, event, night):
    from django.utils import timezone as tz

    url = survey_url(event)
    event.starts_at = tz.now() - dt.timedelta(hours=1)
    event.ends_at = tz.now() + dt.timedelta(hours=1)
    event.save()
    form = {"respect": "4", "listen": "4", "safe": "5", "changed": "same", "come_again": "yes"}
    assert "Thank you!" in client.post(url, form).content.decode()
    again = client.post(url, form).content.decode()
    assert "already answered" in again
    assert SurveyResponse.objects.count() == 1
    assert client.cookies["nightout_answered"]["httponly"]


def test_the_answered_cookie_tells_nothing_of_which_events(client, event, make_event):
    import re

    from django.core import signing
    from django.test import Client
    from django.utils import timezone as tz

    now = tz.now()
    other = make_event(title="Oak Street", status=EventStatus.APPROVED,
                       starts_at=now - dt.timedelta(hours=1), ends_at=now)
    event.status = EventStatus.APPROVED
    event.starts_at, event.ends_at = now - dt.timedelta(hours=1), now
    event.save()
    form = {"respect": "4"}
    client.post(survey_url(event), form, REMOTE_ADDR="203.0.113.1")
    client.post(survey_url(other), form, REMOTE_ADDR="203.0.113.1")
    value = client.cookies["nightout_answered"].value
    # A salt and one keyed hash per event: no id, nothing to decode.
    assert re.fullmatch(r"[0-9a-f]{16}(\.[0-9a-f]{16}){2}", value)
    with pytest.raises(signing.BadSignature):  # not the signed list of ids it used to be
        signing.loads(value, salt="nightout_answered")
    # Still thanked rather than counted again, for both events.
    for party in (event, other):
        assert "already answered" in client.post(survey_url(party), form).content.decode()
    assert SurveyResponse.objects.count() == 2
    # Another browser answering the same event carries a cookie that looks nothing alike.
    neighbour = Client()
    neighbour.post(survey_url(event), form, REMOTE_ADDR="203.0.113.2")
    theirs = neighbour.cookies["nightout_answered"].value.split(".")
    assert not set(theirs) & set(value.split("."))


def test_a_forged_survey_link_is_refused(client, event, night):
    assert client.get("/survey/123/").status_code == 404


def test_the_poster_carries_a_qr_code_of_the_survey_link(client, event, night):
    html = client.get(reverse("surveys:poster", args=[event.pk])).content.decode()
    assert "<svg" in html and survey_url(event) in html


def test_the_survey_link_is_the_same_every_time_it_is_made(event, monkeypatch):
    import time

    from django.core import signing

    first = survey_url(event)
    later = time.time() + 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert survey_url(event) == first


def test_a_survey_link_signed_with_a_timestamp_still_opens_the_survey(client, event,
                                                                     tonight):
    from django.core import signing

    from nightout.surveys.tokens import SALT

    old = reverse("surveys:answer", args=[signing.dumps(event.pk, salt=SALT)])
    assert "treat people with respect" in client.get(old).content.decode()
    assert client.get(old[:-3] + "xx/").status_code == 404


def test_the_event_page_offers_the_survey_once_the_night_has_begun(client, make_event):
    from django.utils import timezone as tz

    now = tz.now()
    later = make_event(status=EventStatus.APPROVED, starts_at=now + dt.timedelta(days=1),
                       ends_at=now + dt.timedelta(days=1, hours=3))
    tonight = make_event(status=EventStatus.APPROVED, title="Tonight",
                         starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=2))
    def page(event):
        return client.get(reverse("finder:event", args=[event.pk])).content.decode()

    assert survey_url(later) not in page(later)
    assert survey_url(tonight) in page(tonight)


def test_survey_pages_show_no_host_contact(client, event, night, settings):
    from nightout.registry.models import HostContact, Region

    HostContact.objects.create(event=event, name="Quinn Hostperson", email="quinn@example.org",
                               phone="413-555-0142")
    region = Region.objects.create(name="Region", slug="region")
    event.season.jurisdiction.regions.add(region)
    fill(event, 12, night, comment="Ask Quinn Hostperson at quinn@example.org")
    SurveyResponse.objects.update(comment_status=CommentStatus.PUBLISHED)
    for url in [survey_url(event), reverse("surveys:poster", args=[event.pk]),
                reverse("surveys:results", args=[event.season.slug]),
                reverse("reports:transparency", args=[region.slug])]:
        body = client.get(url).content.decode()
        assert "quinn@example.org" not in body and "555-0142" not in body, url


def test_an_events_link_takes_answers_up_to_its_cap_and_thanks_the_rest(client, event,
                                                                        settings):
    from django.utils import timezone as tz

    settings.SURVEY_MAX_PER_EVENT = 3
    event.status = EventStatus.APPROVED
    event.starts_at = tz.now() - dt.timedelta(hours=2)
    event.ends_at = tz.now() - dt.timedelta(hours=1)
    event.save()
    url = survey_url(event)
    form = {"respect": "4", "listen": "4", "safe": "5", "changed": "same", "come_again": "yes"}
    for n in range(5):
        client.cookies.clear()
        reply = client.post(url, form, REMOTE_ADDR=f"203.0.113.{n}")
        # Over the cap the visitor is thanked all the same: "full" would say how many answered.
        assert reply.status_code == 200 and "Your answers are in" in reply.content.decode()
    assert SurveyResponse.objects.filter(event=event).count() == 3
    with pytest.raises(SurveyFull, match=r"all the answers it takes \(3\)"):
        response_submit(event=event, answers=answers(), language="en")
    # A host who expects more guests gets a larger cap.
    event.expected_attendance = 4
    event.save()
    response_submit(event=event, answers=answers(), language="en")
    with pytest.raises(SurveyFull, match=r"\(4\)"):
        response_submit(event=event, answers=answers(), language="en")
    assert SurveyResponse.objects.filter(event=event).count() == 4
    # ... but no host opens their own survey wider than ten times the setting.
    event.expected_attendance = 100_000
    assert answers_cap(event) == 30


@pytest.mark.django_db(transaction=True)
def test_answers_sent_at_once_never_pass_the_cap(on_postgresql, event, settings):
    import threading

    from django.db import connection

    settings.SURVEY_MAX_PER_EVENT = 5
    event.status = EventStatus.APPROVED
    event.save()
    night = event.starts_at + dt.timedelta(hours=1)
    barrier = threading.Barrier(12)
    full = []

    def resident():
        try:
            barrier.wait()
            response_submit(event=event, answers=answers(), language="en", now=night)
        except SurveyFull:
            full.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=resident) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SurveyResponse.objects.filter(event=event).count() == 5 and len(full) == 7
