import datetime as dt

import pytest

from nightout.registry.links import LinkError, event_from_token, link_expiry, manage_token
from nightout.registry.services import event_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(season, event_input, at):
    return event_register(season=season, data=event_input(), submitted_at=at(7, 1))


def test_the_link_opens_its_own_event(registered):
    assert event_from_token(manage_token(registered), now=registered.submitted_at) == registered


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "x" + t,
    lambda t: "",
])
def test_an_altered_link_is_refused(registered, mangle):
    with pytest.raises(LinkError, match="not valid"):
        event_from_token(mangle(manage_token(registered)), now=registered.submitted_at)


def test_the_link_expires_after_the_season(registered):
    token = manage_token(registered)
    expiry = link_expiry(registered)
    assert expiry.date() > registered.season.nno_date
    assert event_from_token(token, now=expiry) == registered
    with pytest.raises(LinkError, match="expired"):
        event_from_token(token, now=expiry + dt.timedelta(minutes=1))


def test_resetting_the_secret_revokes_old_links(registered):
    token = manage_token(registered)
    registered.manage_secret = "new-secret"
    registered.save()
    with pytest.raises(LinkError):
        event_from_token(token, now=registered.submitted_at)


def test_the_link_works_until_120_days_after_the_night_in_the_towns_zone(registered):
    season = registered.season
    night_end = season.at(season.nno_date, dt.time(23, 59))
    assert link_expiry(registered) == night_end + dt.timedelta(days=120)
    token = manage_token(registered)
    assert event_from_token(token, now=night_end + dt.timedelta(days=119)) == registered
    with pytest.raises(LinkError, match="expired"):
        event_from_token(token, now=night_end + dt.timedelta(days=121))


def test_an_expired_link_opens_no_page(client, registered, monkeypatch):
    from django.urls import reverse

    token = manage_token(registered)
    later = link_expiry(registered) + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    for page in ("registry:manage", "registry:manage_edit", "registry:manage_report"):
        response = client.get(reverse(page, args=[token]))
        assert response.status_code == 404
        assert "This link has expired" in response.content.decode()
        assert registered.title not in response.content.decode()


def test_a_link_signed_without_the_sites_key_is_refused(registered):
    from django.core import signing

    from nightout.registry.links import SALT

    forged = signing.dumps({"e": registered.pk, "s": registered.manage_secret}, salt=SALT,
                           key="not-the-site-key-" + "x" * 40, compress=True)
    with pytest.raises(LinkError, match="not valid"):
        event_from_token(forged, now=registered.submitted_at)


def test_a_link_for_one_party_does_not_open_another(registered, season, event_input, at):
    from django.core import signing

    from nightout.registry.links import SALT

    other = event_register(season=season, submitted_at=at(7, 2),
                           data=event_input(title="Oak Street Potluck", address="400 Oak St"))
    # The other party's number with this party's secret, even signed with the site's key.
    swapped = signing.dumps({"e": other.pk, "s": registered.manage_secret}, salt=SALT,
                            compress=True)
    with pytest.raises(LinkError, match="not valid"):
        event_from_token(swapped, now=registered.submitted_at)
    assert event_from_token(manage_token(other), now=registered.submitted_at) == other


def test_each_party_gets_its_own_unguessable_secret(registered, season, event_input, at):
    other = event_register(season=season, submitted_at=at(7, 2),
                           data=event_input(title="Oak Street Potluck", address="400 Oak St"))
    assert registered.manage_secret != other.manage_secret
    assert len(registered.manage_secret) >= 32  # 24 random bytes, 192 bits


def test_a_link_from_another_purpose_is_refused(registered):
    from nightout.surveys.tokens import survey_token

    with pytest.raises(LinkError, match="not valid"):
        event_from_token(survey_token(registered), now=registered.submitted_at)
