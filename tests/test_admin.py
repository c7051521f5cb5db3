"""Every model has a working admin: a site administrator can list, search and open each."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from nightout.registry.forms import SeasonForm
from nightout.registry.models import Jurisdiction

pytestmark = pytest.mark.django_db
OURS = [m for m in admin.site._registry if m._meta.app_label in ("registry", "accounts")]


@pytest.fixture
def admin_client_with_demo(admin_client):
    call_command("demo", stdout=StringIO())
    return admin_client


@pytest.mark.parametrize("model", OURS, ids=lambda m: m.__name__)
def test_admin_lists_searches_and_opens_each_model(admin_client_with_demo, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client_with_demo.get(changelist).status_code == 200
    assert admin_client_with_demo.get(changelist, {"q": "Lake"}).status_code == 200
    add = admin_client_with_demo.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    model_admin = admin.site._registry[model]
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)
    first = model.objects.order_by("pk").first()
    if first is not None:
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
        assert admin_client_with_demo.get(change).status_code == 200


def test_event_list_does_not_query_per_row(admin_client_with_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client_with_demo.get(reverse("admin:registry_event_changelist"))
    assert response.status_code == 200


def test_season_form_fills_in_the_default_date(jurisdiction):
    houston = Jurisdiction.objects.create(
        name="Houston", slug="houston", state="TX", time_zone="America/Chicago",
        center_latitude=29.76, center_longitude=-95.37,
    )
    form = SeasonForm(data={
        "jurisdiction": houston.pk, "year": 2026, "slug": "houston-2026", "nno_date": "",
        "default_start": "17:00", "default_end": "21:00", "earliest_start": "15:00",
        "latest_end": "22:00", "neighbor_consent_percent": 0,
        "rain_date_rule": "none",
    })
    assert form.is_valid(), form.errors
    assert str(form.save().nno_date) == "2026-10-06"


# Times in the admin are the jurisdiction's, as on every other page (the server runs in UTC).

def _season_post(season, **changes) -> dict:
    data = {
        "jurisdiction": season.jurisdiction_id, "year": season.year, "slug": season.slug,
        "nno_date": season.nno_date.isoformat(), "default_start": "17:00", "default_end": "21:00",
        "earliest_start": "15:00", "latest_end": "22:00", "registration_deadline_0": "",
        "registration_deadline_1": "", "closures_enabled": "on", "permit_prefix": "",
        "visit_kinds": "[]", "visit_request_lead_days": "", "visit_times_allowed": "on",
        "neighbor_consent_percent": 0, "rain_date_rule": "none", "rain_date": "", "notes": "",
        "closure_tiers-TOTAL_FORMS": 0, "closure_tiers-INITIAL_FORMS": 0,
        "closure_tiers-MIN_NUM_FORMS": 0, "closure_tiers-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


@pytest.fixture
def chicago(db):
    return Jurisdiction.objects.create(
        name="Naperville", slug="naperville", state="IL", time_zone="America/Chicago",
        center_latitude=41.75, center_longitude=-88.15,
    )


def test_season_change_page_shows_and_reads_the_deadline_in_the_towns_zone(admin_client, chicago):
    from nightout.registry.services import season_create

    season = season_create(jurisdiction=chicago, year=2026, slug="naperville-2026")
    season.registration_deadline = dt.datetime(2026, 7, 20, 22, 0, tzinfo=dt.UTC)  # 17:00 CDT
    season.save()
    url = reverse("admin:registry_season_change", args=[season.pk])

    page = admin_client.get(url).content.decode()
    assert 'name="registration_deadline_1" value="17:00:00"' in page

    response = admin_client.post(url, _season_post(
        season, registration_deadline_0="2026-07-21", registration_deadline_1="18:00"))
    assert response.status_code == 302, response.content.decode()[:2000]
    season.refresh_from_db()
    assert season.registration_deadline == dt.datetime(2026, 7, 21, 23, 0, tzinfo=dt.UTC)


def test_new_season_and_its_fee_tiers_are_read_in_the_zone_every_town_shares(admin_client, chicago):
    from nightout.registry.models import Season

    new = Season(jurisdiction=chicago, year=2027, slug="naperville-2027",
                 nno_date=dt.date(2027, 8, 3))
    response = admin_client.post(reverse("admin:registry_season_add"), _season_post(
        new, registration_deadline_0="2027-07-20", registration_deadline_1="17:00", **{
            "closure_tiers-TOTAL_FORMS": 1, "closure_tiers-0-filed_by_0": "2027-07-01",
            "closure_tiers-0-filed_by_1": "09:30", "closure_tiers-0-fee": "25",
            "closure_tiers-0-label": "On time", "closure_tiers-0-max_blocks": ""}))
    assert response.status_code == 302, response.content.decode()[:2000]
    season = Season.objects.get(slug="naperville-2027")
    assert season.registration_deadline == dt.datetime(2027, 7, 20, 22, 0, tzinfo=dt.UTC)
    assert season.closure_tiers.get().filed_by == dt.datetime(2027, 7, 1, 14, 30, tzinfo=dt.UTC)


def test_lists_show_each_rows_times_in_its_towns_zone(admin_client, chicago, make_event):
    from nightout.registry.services import season_create

    season = season_create(jurisdiction=chicago, year=2026, slug="naperville-2026")
    starts = dt.datetime(2026, 8, 4, 23, 0, tzinfo=dt.UTC)  # 18:00 in Naperville
    make_event(season=season, title="Maple Court", starts_at=starts,
               ends_at=starts + dt.timedelta(hours=3))
    page = admin_client.get(reverse("admin:registry_event_changelist")).content.decode()
    assert "Aug. 4, 2026, 6 p.m." in page
    assert "11 p.m." not in page


def test_with_towns_in_several_zones_a_new_season_is_read_in_the_zone_the_page_names(
        admin_client, chicago, jurisdiction):
    """The town of a new season is not known before it is chosen: the page stays in the
    server's zone, which Django's note under each time field names."""
    from nightout.registry.models import Season

    page = admin_client.get(reverse("admin:registry_season_add")).content.decode()
    assert 'data-admin-server-timezone="UTC"' in page
    new = Season(jurisdiction=chicago, year=2027, slug="naperville-2027",
                 nno_date=dt.date(2027, 8, 3))
    response = admin_client.post(reverse("admin:registry_season_add"), _season_post(
        new, registration_deadline_0="2027-07-20", registration_deadline_1="17:00"))
    assert response.status_code == 302, response.content.decode()[:2000]
    season = Season.objects.get(slug="naperville-2027")
    assert season.registration_deadline == dt.datetime(2027, 7, 20, 17, 0, tzinfo=dt.UTC)
    change = admin_client.get(reverse("admin:registry_season_change", args=[season.pk]))
    assert 'data-admin-server-timezone="America/Chicago"' in change.content.decode()
