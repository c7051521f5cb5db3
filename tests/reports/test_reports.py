"""The season report, the regional roll-up and the transparency page."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from PIL import Image

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import EventPhoto, EventStatus, Jurisdiction, Region
from nightout.registry.services import Actor, host_report_submit, season_create
from nightout.surveys.noise import NoiseParams
from nightout.surveys.services import response_submit, summary_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_event):
    return make_event(status=EventStatus.APPROVED, expected_attendance=80)


def answers(n, event, when=None):
    for _ in range(n):
        response_submit(event=event, answers={"respect": 5, "listen": 4, "safe": 4,
                                              "changed": "better", "come_again": "yes"},
                        language="en", now=when or event.starts_at + dt.timedelta(hours=1))


def test_season_report_counts_and_draws_svg_charts(client, coordinator, approved, season):
    answers(12, approved)
    # Published without noise, so that the figure below is exact (the noise has tests of its
    # own in tests/surveys).
    summary_publish(season=season, params=NoiseParams(epsilon=1e4))
    for kind in ("police", "fire"):  # joins on requests must not multiply the sums
        approved.visit_requests.create(unit_kind=kind, requested_at=approved.submitted_at)
    host_report_submit(event=approved, actor=Actor.host(approved),
                       attendance=95, agency_ids=[], notes="", photos=[],
                       now=approved.starts_at + dt.timedelta(hours=2))
    client.force_login(coordinator)
    html = client.get(reverse("reports:season", args=[season.slug])).content.decode()
    assert "<svg" in html and "Residents who agree (%)" in html
    assert "reported 95" in html and "Hosts expected 80" in html
    rows = client.get(reverse("reports:season", args=[season.slug]),
                      {"format": "csv"}).content.decode().splitlines()
    assert "Registrations,approved,1" in rows and "Attendance,reported by hosts,95" in rows
    assert "Attendance,expected,80" in rows and "District,No district,1" in rows
    assert "Trust pulse,Treat people with respect,100.0" in rows


def test_season_report_withholds_trust_under_the_threshold(client, coordinator, approved,
                                                            season):
    answers(9, approved)
    client.force_login(coordinator)
    html = client.get(reverse("reports:season", args=[season.slug])).content.decode()
    assert "Residents who agree" not in html and "no figure can be shown" in html
    csv = client.get(reverse("reports:season", args=[season.slug]), {"format": "csv"})
    assert "Trust pulse,Treat people with respect,withheld" in csv.content.decode()


def test_season_report_shows_only_how_many_answered_until_the_survey_closes(
        client, coordinator, make_event, jurisdiction):
    from django.utils import timezone

    from nightout.surveys.models import SurveySummary
    from nightout.surveys.selectors import survey_closes_at

    now = timezone.now()
    current = season_create(jurisdiction=jurisdiction, year=now.year, slug="agawam-now",
                            nno_date=timezone.localdate())
    party = make_event(season=current, status=EventStatus.APPROVED,
                       starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(hours=1))
    answers(14, party, when=now)
    client.force_login(coordinator)
    url = reverse("reports:season", args=[current.slug])
    html = client.get(url).content.decode()
    closes = survey_closes_at(season=current)
    assert "Answers so far: 14" in html and "Residents who agree" not in html
    assert closes.strftime("%-d %B %Y") in html
    rows = client.get(url, {"format": "csv"}).content.decode().splitlines()
    assert "Trust pulse,answers so far,14" in rows
    assert not [r for r in rows if r.startswith("Trust pulse,Treat")]
    assert f"Trust pulse,figures published on,{closes.isoformat(timespec='minutes')}" in rows
    assert not SurveySummary.objects.exists()


def test_season_report_is_for_the_towns_coordinators(client, season):
    url = reverse("reports:season", args=[season.slug])
    client.force_login(User.objects.create_user("nobody"))
    assert client.get(url).status_code == 403


@pytest.fixture
def region(season, approved):
    region = Region.objects.create(name="Western Massachusetts", slug="wm")
    season.jurisdiction.regions.add(region)
    orange = Jurisdiction.objects.create(name="Orange", slug="orange", state="MA",
                                         center_latitude=42.59, center_longitude=-72.31)
    orange.regions.add(region)
    small = season_create(jurisdiction=orange, year=2017, slug="orange-2017")
    from nightout.finder.places import public_point_refresh
    from nightout.registry.models import Event

    orange_event = Event(
        season=small, title="Orange Night Out", address="Orange, MA", latitude=42.59,
        longitude=-72.31, starts_at=small.starts_at, ends_at=small.ends_at,
        submitted_at=small.starts_at, status=EventStatus.APPROVED)
    public_point_refresh(orange_event)
    orange_event.save()
    answers(40, approved)
    answers(4, orange_event)
    return region


def test_rollup_shows_towns_together_and_withholds_small_survey_groups(client, region):
    organizer = User.objects.create_user("riley")
    Membership.objects.create(user=organizer, role=Role.REGIONAL_ORGANIZER, region=region)
    client.force_login(organizer)
    html = client.get(reverse("reports:region", args=[region.slug])).content.decode()
    assert "Agawam, MA" in html and "Orange, MA" in html and "region-markers" in html
    # Orange's 4 answers are withheld, and so is Agawam's 40, or 44 − 40 would give Orange away.
    assert html.count('class="withheld"') == 2
    csv = client.get(reverse("reports:region", args=[region.slug]), {"format": "csv"})
    assert "Orange,MA,2017-08-01,1,0,withheld" in csv.content.decode()


def test_transparency_page_is_public_and_the_rollup_is_not(client, region):
    assert client.get(reverse("reports:transparency", args=[region.slug])).status_code == 200
    assert client.get(reverse("reports:region", args=[region.slug])).status_code == 302
    client.force_login(User.objects.create_user("nobody"))
    assert client.get(reverse("reports:region", args=[region.slug])).status_code == 403


def png(size=(40, 30), fmt="PNG", exif=False) -> io.BytesIO:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    image = Image.new("RGB", size, "orange")
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # camera make
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(f"p.{fmt.lower()}", out.getvalue())


def test_host_report_keeps_photos_without_their_metadata(approved, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = host_report_submit(event=approved, actor=Actor.host(approved),
                                attendance=60, agency_ids=[], notes="Fun",
                                photos=[png(fmt="JPEG", exif=True)],
                                now=approved.starts_at + dt.timedelta(hours=3))
    photo = report.photos.get()
    with Image.open(photo.image.path) as saved:
        assert saved.format == "JPEG" and not saved.getexif()
    assert b"SecretCam" not in photo.image.read()


@pytest.mark.parametrize(("upload", "message"), [
    (lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
        "x.jpg", b"<script>alert(1)</script>"), "not a JPEG, PNG or WebP"),
    (lambda: png(fmt="GIF"), "not a JPEG, PNG or WebP"),
])
def test_host_report_refuses_what_is_not_a_photo(approved, upload, message, settings,
                                                 tmp_path):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match=message):
        host_report_submit(event=approved, actor=Actor.host(approved),
                           attendance=1, agency_ids=[], notes="",
                           photos=[upload()], now=approved.starts_at)
    assert not EventPhoto.objects.exists()


def test_host_report_waits_for_the_night(approved):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="once your event has started"):
        host_report_submit(event=approved, actor=Actor.host(approved),
                           attendance=1, agency_ids=[], notes="", photos=[],
                           now=approved.starts_at - dt.timedelta(minutes=1))


def test_photos_are_for_the_towns_coordinators_only(client, approved, coordinator, settings,
                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = host_report_submit(event=approved, actor=Actor.host(approved),
                                attendance=1, agency_ids=[], notes="",
                                photos=[png()], now=approved.starts_at)
    url = reverse("reports:photo", args=[report.photos.get().pk])
    assert client.get(url).status_code == 302
    client.force_login(coordinator)
    assert client.get(url)["Content-Type"] == "image/jpeg"


def test_host_reports_through_the_private_link(client, make_event, jurisdiction, settings,
                                                tmp_path):
    from django.utils import timezone

    from nightout.registry.links import manage_token

    settings.MEDIA_ROOT = tmp_path
    today = season_create(jurisdiction=jurisdiction, year=timezone.localdate().year,
                          slug="tonight", nno_date=timezone.localdate())
    now = timezone.now()
    approved = make_event(season=today, status=EventStatus.APPROVED, manage_secret="s3cret",
                          starts_at=now - dt.timedelta(hours=2), ends_at=now)
    url = reverse("registry:manage_report", args=[manage_token(approved)])
    assert "How many people came?" in client.get(url).content.decode()
    response = client.post(url, {"attendance": "75", "notes": "Great", "photos": [png()]})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.host_report.attendance == 75 and approved.host_report.photos.count() == 1
    bad = client.post(url, {"attendance": "-3"})
    assert bad.status_code == 400


def test_rollup_sums_are_not_multiplied_by_joins(client, region, approved):
    host_report_submit(event=approved, actor=Actor.host(approved),
                       attendance=650, agency_ids=[], notes="", photos=[],
                       now=approved.starts_at)
    organizer = User.objects.create_user("riley")
    Membership.objects.create(user=organizer, role=Role.REGIONAL_ORGANIZER, region=region)
    client.force_login(organizer)
    csv = client.get(reverse("reports:region", args=[region.slug]), {"format": "csv"})
    assert "Agawam,MA,2017-08-01,1,650,withheld" in csv.content.decode()


def test_every_public_page_leads_to_trust_and_transparency_and_the_logo_to_the_finder(
        client, region, approved):
    index = reverse("reports:transparency_index")
    for url in (reverse("finder:search"), reverse("registry:home"),
                reverse("finder:event", args=[approved.pk]),
                reverse("surveys:results", args=["agawam-2017"])):
        html = client.get(url).content.decode()
        assert f'<a class="brand" href="{reverse("finder:search")}">' in html, url
        assert f'<a href="{index}">Trust and transparency</a>' in html, url
    html = client.get(index).content.decode()
    assert f'href="{reverse("reports:transparency", args=[region.slug])}">{region.name}</a>' in html
    for slug, name in (("agawam-2017", "Agawam, MA 2017"), ("orange-2017", "Orange, MA 2017")):
        assert f'href="{reverse("surveys:results", args=[slug])}">{name}</a>' in html
    rollup = client.get(reverse("reports:transparency", args=[region.slug])).content.decode()
    assert f'href="{reverse("surveys:results", args=["orange-2017"])}"' in rollup


def test_the_transparency_index_costs_two_queries_however_many_seasons(
        client, region, season, django_assert_num_queries):
    for year in range(2018, 2024):
        season_create(jurisdiction=season.jurisdiction, year=year, slug=f"agawam-{year}")
    with django_assert_num_queries(2):
        html = client.get(reverse("reports:transparency_index")).content.decode()
    assert html.count(">Agawam, MA 20") == 7


def test_the_transparency_index_says_when_there_is_nothing_yet(client):
    html = client.get(reverse("reports:transparency_index")).content.decode()
    assert "No town belongs to a region yet." in html and "No season has been set up yet." in html


def test_the_awards_report_prints_the_figures_the_story_and_the_photos_chosen(
        client, coordinator, approved, season, settings, tmp_path):
    """The post-event report for the national awards: the season's figures, the narrative the
    coordinator writes and the hosts' photos they choose (the others left out); saved in the
    season's history; and another town's photo cannot be slipped in."""
    from nightout.registry.models import AuditEntry

    settings.MEDIA_ROOT = tmp_path
    host_report_submit(event=approved, actor=Actor.host(approved), attendance=95,
                       agency_ids=[], notes="", photos=[png(fmt="JPEG"), png(fmt="JPEG")],
                       now=approved.starts_at + dt.timedelta(hours=2))
    first, second = EventPhoto.objects.order_by("pk")
    client.force_login(coordinator)
    url = reverse("reports:awards", args=[season.slug])
    page = client.get(url).content.decode()
    assert "1</strong> approved party" in page and "95 came to that party" in page
    assert reverse("reports:photo", args=[first.pk]) not in page.split("<h2>Photos")[-1]
    saved = client.post(url, {"narrative": "Forty blocks <b>met</b> their officers.\n\nAgain!",
                              "photos": [str(second.pk)]})
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    printed = page.split('id="edit-heading"')[1].split("</section>", 1)[1]
    assert "<p>Forty blocks &lt;b&gt;met&lt;/b&gt; their officers.</p>" in printed
    assert reverse("reports:photo", args=[second.pk]) in printed
    assert reverse("reports:photo", args=[first.pk]) not in printed
    assert AuditEntry.objects.filter(season=season, action="awards report changed").exists()
    refused = client.post(url, {"narrative": "", "photos": ["999999"]})
    assert refused.status_code == 400
    assert EventPhoto.objects.get(pk=second.pk).chosen_for_report
