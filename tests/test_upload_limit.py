"""A request body over UPLOAD_MAX_MB is refused with 413 before it is read: by its
Content-Length, or, for a chunked upload without one, as soon as what was read passes the cap
(nightout/middleware.py). The page says what to do, in the site's layout."""

import datetime as dt
import io

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from nightout.middleware import READ_SIZE
from nightout.registry.models import EventPhoto, EventStatus

pytestmark = pytest.mark.django_db

CAP = 1024 * 1024  # 1 MB for these tests


@pytest.fixture(autouse=True)
def small_cap(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = CAP
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-temp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


class Unreadable(io.RawIOBase):
    """A body that must not be read."""

    def read(self, size=-1):
        raise AssertionError("the body was read")


class Endless(io.RawIOBase):
    """A chunked body that never ends, counting what was read of it."""

    def __init__(self):
        self.taken = 0

    def read(self, size=-1):
        size = READ_SIZE if size is None or size < 0 else size
        self.taken += size
        return b"x" * size


@pytest.fixture
def report_url(make_event, jurisdiction):
    from nightout.registry.links import manage_token
    from nightout.registry.services import season_create

    today = season_create(jurisdiction=jurisdiction, year=timezone.localdate().year,
                          slug="tonight", nno_date=timezone.localdate())
    now = timezone.now()
    event = make_event(season=today, status=EventStatus.APPROVED, manage_secret="s3cret",
                       starts_at=now - dt.timedelta(hours=2), ends_at=now)
    return reverse("registry:manage_report", args=[manage_token(event)])


def photo_body(size=(40, 30)) -> bytes:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format="PNG")
    return encode_multipart(BOUNDARY, {
        "attendance": "40", "notes": "", "photos": [SimpleUploadedFile("p.png", out.getvalue())]})


def test_a_body_over_the_cap_is_refused_unread_with_a_page_that_says_what_to_do(
        client, report_url, settings):
    response = client.generic("POST", report_url, b"", content_type=MULTIPART_CONTENT,
                              CONTENT_LENGTH=str(60 * CAP), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The photo is larger than 1 MB; choose a smaller one" in page
    assert 'class="site"' in page and f'href="{report_url}"' in page  # the layout, a way back
    assert "Content-Security-Policy" in response.headers
    assert not list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) and not EventPhoto.objects.exists()


def test_a_spreadsheet_over_the_cap_is_told_to_split_it(client, coordinator, season):
    client.force_login(coordinator)
    url = reverse("registry:import", args=[season.slug])
    response = client.generic("POST", url, b"", content_type=MULTIPART_CONTENT,
                              CONTENT_LENGTH=str(CAP + 1), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413
    assert "The spreadsheet is larger than 1 MB; split it into smaller files" in (
        response.content.decode())


def test_a_chunked_body_is_read_only_up_to_the_cap(client, report_url, settings):
    body = Endless()
    response = client.generic("POST", report_url, b"", content_type=MULTIPART_CONTENT,
                              HTTP_TRANSFER_ENCODING="chunked",
                              **{"wsgi.input": body, "wsgi.input_terminated": True})
    assert response.status_code == 413
    assert CAP < body.taken <= CAP + READ_SIZE
    assert not list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) and not EventPhoto.objects.exists()


def test_a_chunked_body_under_the_cap_is_taken_as_if_it_had_its_length(client, report_url):
    response = client.generic("POST", report_url, b"", content_type=MULTIPART_CONTENT,
                              HTTP_TRANSFER_ENCODING="chunked", CONTENT_TYPE=MULTIPART_CONTENT,
                              **{"wsgi.input": io.BytesIO(photo_body()),
                                 "wsgi.input_terminated": True})
    assert response.status_code == 302
    assert EventPhoto.objects.count() == 1


def test_a_body_at_the_cap_is_read(client, report_url):
    body = photo_body()
    assert len(body) <= CAP
    response = client.generic("POST", report_url, body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 302 and EventPhoto.objects.count() == 1


def test_the_imports_own_limit_still_says_what_to_do(client, coordinator, season, settings):
    """Under the request cap, a spreadsheet over the import's 5 MB gets the import's message."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nightout.registry.imports import MAX_BYTES

    settings.UPLOAD_MAX_BYTES = 20 * CAP
    client.force_login(coordinator)
    big = b"Event name,Street Address\n" + b"x" * MAX_BYTES
    response = client.post(reverse("registry:import", args=[season.slug]), {
        "file": SimpleUploadedFile("events.csv", big, content_type="text/csv")})
    assert response.status_code == 200
    assert "The file is larger than 5 MB; split it into smaller files." in (
        response.content.decode())
