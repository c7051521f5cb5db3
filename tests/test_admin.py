"""Every model has a working admin: a site administrator can list, search and open each."""

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
