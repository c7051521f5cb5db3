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
