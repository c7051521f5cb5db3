"""The survey's languages are the site's one list, settings.LANGUAGES."""

import pytest

from nightout.registry.models import EventStatus
from nightout.surveys.tokens import survey_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(event):
    """The survey of an event on now (a survey shows its form only while it is open)."""
    import datetime as dt

    from django.utils import timezone

    event.status = EventStatus.APPROVED
    event.starts_at = timezone.now() - dt.timedelta(hours=1)
    event.ends_at = timezone.now() + dt.timedelta(hours=2)
    event.save()
    return survey_url(event)


def test_the_survey_offers_each_of_the_sites_languages_but_the_one_shown(client, url):
    html = client.get(url).content.decode()
    assert '<a href="?lang=es" lang="es" hreflang="es">Español</a>' in html
    assert 'href="?lang=en"' not in html


def test_a_language_the_site_drops_is_no_longer_offered_nor_taken(client, url, settings):
    settings.LANGUAGES = [("en", "English")]
    html = client.get(url, {"lang": "es"}).content.decode()
    assert "treat people with respect" in html and 'lang="es"' not in html
    spanish_browser = client.get(url, headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert "treat people with respect" in spanish_browser.content.decode()


def test_the_sites_first_language_is_the_default(client, url, settings):
    settings.LANGUAGES = [("es", "Español"), ("en", "English")]
    html = client.get(url, headers={"Accept-Language": "de-DE"}).content.decode()
    assert "trata a las personas con respeto" in html
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in html
