"""Map markers in production: the static files' hashed names hide where Leaflet's marker images
are, so every page with a map gives Leaflet their addresses (`_leaflet_js.html`)."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MANIFEST = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}


@pytest.fixture
def hashed_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_pages_with_a_map_give_leaflet_the_hashed_marker_images(client, hashed_static):
    page = client.get("/").content.decode()
    tag = re.search(r'<script src="([^"]+leaflet-icons[^"]+)"([^>]*)>', page)
    assert tag, "the finder loads the marker script"
    images = dict(re.findall(r'data-([\w-]+)="([^"]+)"', tag.group(2)))
    assert set(images) == {"icon", "icon-2x", "shadow"}
    for name, url in images.items():
        # A hashed name (marker-icon.<hash>.png), and the file is there to serve.
        assert re.search(r"\.[0-9a-f]{12}\.png$", url), (name, url)
        assert (hashed_static / url.removeprefix("/static/")).is_file(), url
