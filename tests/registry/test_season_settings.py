"""The coordinator sets up their own season: its rules and closure fee tiers, in the town's
time zone, and next year's season from this one."""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.errors import NotAllowed
from nightout.registry.dates import default_nno_date
from nightout.registry.models import (
    Agency,
    AgencyKind,
    AuditEntry,
    ClosureFeeTier,
    Jurisdiction,
    Season,
)
from nightout.registry.services import (
    SEASON_EXISTS,
    Actor,
    SeasonInput,
    season_create,
    season_start,
    season_update,
)

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def settings_url(season):
    return reverse("registry:season_settings", args=[season.slug])


def form_data(season, tiers=(), **changes):
    """What the settings page posts when nothing is changed, with `changes` on top. `tiers`
    are dicts of a tier row's fields (with `id` for an existing tier)."""
    data = {
        "nno_date": season.nno_date.isoformat(),
        "default_start": season.default_start.strftime("%H:%M"),
        "default_end": season.default_end.strftime("%H:%M"),
        "earliest_start": season.earliest_start.strftime("%H:%M"),
        "latest_end": season.latest_end.strftime("%H:%M"),
        "registration_deadline": "",
        "closures_enabled": "on" if season.closures_enabled else "",
        "permit_prefix": season.permit_prefix,
        "neighbor_consent_percent": str(season.neighbor_consent_percent),
        "visit_kinds": season.offered_visit_kinds,
        "visit_request_lead_days": "",
        "visit_times_allowed": "on" if season.visit_times_allowed else "",
        "rain_date_rule": season.rain_date_rule,
        "rain_date": "",
        "notes": season.notes,
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": str(sum(1 for t in tiers if t.get("id"))),
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
    }
    for n, tier in enumerate(tiers):
        for name, value in tier.items():
            data[f"tiers-{n}-{name}"] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None)}


@pytest.fixture
def tiered(season):
    """Agawam 2017 with Minneapolis's closure rules: free until 13 July, $100 until 20 July."""
    on_time = ClosureFeeTier.objects.create(
        season=season, filed_by=season.at(dt.date(2017, 7, 13), dt.time(23, 59)),
        fee=Decimal("0"), label="On time")
    late = ClosureFeeTier.objects.create(
        season=season, filed_by=season.at(dt.date(2017, 7, 20), dt.time(23, 59)),
        fee=Decimal("100"), label="Late fee")
    return on_time, late


def tier_row(tier, **changes):
    local = tier.filed_by.astimezone(NEW_YORK)
    return {"id": str(tier.pk), "filed_by": local.strftime("%Y-%m-%dT%H:%M"),
            "fee": str(tier.fee), "label": tier.label, **changes}


# ------------------------------------------------------------------ who may


def _user(name, role=None, **scope):
    user = User.objects.create_user(name, password="pw")
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def outsiders(season):
    springfield = Jurisdiction.objects.create(
        name="Springfield", slug="springfield", state="MA", time_zone="America/New_York",
        center_latitude=42.1, center_longitude=-72.59)
    police = Agency.objects.create(name="Agawam Police", slug="agawam-pd",
                                   kind=AgencyKind.LOCAL_POLICE, jurisdiction=season.jurisdiction)
    return {
        "other town's coordinator": _user("sam", Role.COORDINATOR, jurisdiction=springfield),
        "crew": _user("cruz", Role.CREW, agency=police),
        "liaison": _user("lee", Role.AGENCY_LIAISON, agency=police),
    }


def test_the_towns_coordinator_and_a_site_admin_open_the_settings(client, coordinator, season):
    admin = User.objects.create_superuser("root", password="pw")
    for user in (coordinator, admin):
        client.force_login(user)
        response = client.get(settings_url(season))
        assert response.status_code == 200
        assert "Registration deadline" in response.text


def test_others_may_neither_open_nor_change_the_settings(client, season, outsiders):
    for who, user in outsiders.items():
        client.force_login(user)
        assert client.get(settings_url(season)).status_code == 403, who
        response = client.post(settings_url(season), form_data(season, notes="mine"))
        assert response.status_code == 403, who
    client.logout()
    response = client.get(settings_url(season))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(settings_url(season), form_data(season, notes="x")).status_code == 302
    season.refresh_from_db()
    assert season.notes == ""


def test_the_service_refuses_a_coordinator_of_another_town(season, outsiders):
    with pytest.raises(NotAllowed):
        season_update(season=season, actor=Actor.of(outsiders["other town's coordinator"]),
                      data=SeasonInput(rules={"notes": "taken over"}))
    season.refresh_from_db()
    assert season.notes == ""


def test_only_coordinators_may_start_a_season(client, season, coordinator, outsiders):
    url = reverse("registry:season_new")
    for who in ("crew", "liaison"):
        client.force_login(outsiders[who])
        assert client.get(url).status_code == 403, who
        assert client.post(url, {"town": "agawam", "year": "2018"}).status_code == 403, who
    client.force_login(outsiders["other town's coordinator"])
    page = client.get(url + "?town=agawam").text
    assert "Springfield" in page and "Agawam" not in page
    response = client.post(url, {"town": "agawam", "year": "2018"})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not Season.objects.filter(year=2018).exists()


# ------------------------------------------------------------------ the town's time zone


def test_a_deadline_typed_as_2359_is_2359_in_the_towns_zone(client, coordinator, season,
                                                            settings):
    settings.TIME_ZONE = "UTC"
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(
        season, registration_deadline="2017-07-20T23:59"))
    assert response.status_code == 302, response.text
    season.refresh_from_db()
    assert season.registration_deadline == dt.datetime(2017, 7, 20, 23, 59, tzinfo=NEW_YORK)
    assert season.registration_deadline == dt.datetime(2017, 7, 21, 3, 59, tzinfo=dt.UTC)
    page = client.get(settings_url(season)).text
    assert 'value="2017-07-20T23:59"' in page


def test_a_tier_deadline_is_read_in_the_towns_zone_too(client, coordinator, season):
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(season, tiers=[
        {"filed_by": "2017-07-13T23:59", "fee": "0", "label": "On time"}]))
    assert response.status_code == 302, response.text
    tier = season.closure_tiers.get()
    assert tier.filed_by.astimezone(NEW_YORK).replace(tzinfo=None) == dt.datetime(
        2017, 7, 13, 23, 59)


# ------------------------------------------------------------------ the rules and the tiers


def test_the_rules_are_saved_and_visit_kinds_are_ticked_not_typed(client, coordinator, season):
    client.force_login(coordinator)
    page = client.get(settings_url(season)).text
    assert 'type="checkbox" name="visit_kinds" value="k9"' in page
    response = client.post(settings_url(season), form_data(
        season, nno_date="2017-08-08", default_start="18:00", default_end="21:30",
        one_event_per_block="on", permit_prefix="AG", neighbor_consent_percent="75",
        visit_kinds=["police", "fire"], visit_request_lead_days="10", visit_times_allowed="",
        rain_date_rule="fixed", rain_date="2017-08-09", notes="Call the DPW first."))
    assert response.status_code == 302, response.text
    season.refresh_from_db()
    assert season.nno_date == dt.date(2017, 8, 8)
    assert (season.default_start, season.default_end) == (dt.time(18), dt.time(21, 30))
    assert season.one_event_per_block and season.permit_label == "AG"
    assert season.neighbor_consent_percent == 75
    assert season.visit_kinds == ["police", "fire"]
    assert season.visit_request_lead_days == 10 and not season.visit_times_allowed
    assert (season.rain_date_rule, season.rain_date) == ("fixed", dt.date(2017, 8, 9))
    assert season.notes == "Call the DPW first."


def test_every_visit_kind_ticked_means_all_and_none_ticked_is_refused(client, coordinator,
                                                                       season):
    client.force_login(coordinator)
    client.post(settings_url(season), form_data(season, visit_kinds=["police"]))
    client.post(settings_url(season), form_data(season, visit_kinds=season.offered_visit_kinds
                                                + ["fire", "ems", "k9", "mcgruff", "official",
                                                   "gear_demo", "outside_agency"]))
    season.refresh_from_db()
    assert season.visit_kinds == []
    data = form_data(season)
    del data["visit_kinds"]
    response = client.post(settings_url(season), data)
    assert response.status_code == 200
    assert "Offer at least one kind of visit." in response.text


def test_fee_tiers_are_added_edited_and_removed(client, coordinator, season, tiered):
    on_time, late = tiered
    client.force_login(coordinator)
    page = client.get(settings_url(season)).text
    assert 'value="2017-07-13T23:59"' in page and "Late fee" in page
    response = client.post(settings_url(season), form_data(season, tiers=[
        tier_row(on_time, fee="25.00", label="Early"),
        tier_row(late, DELETE="on"),
        {"filed_by": "2017-07-27T17:00", "fee": "150", "label": "Very late", "max_blocks": "2",
         "residential_only": "on"},
    ]))
    assert response.status_code == 302, response.text
    tiers = list(season.closure_tiers.order_by("filed_by"))
    assert [(t.label, t.fee, t.max_blocks, t.residential_only) for t in tiers] == [
        ("Early", Decimal("25.00"), None, False), ("Very late", Decimal("150.00"), 2, True)]
    assert tiers[0].pk == on_time.pk
    assert not ClosureFeeTier.objects.filter(pk=late.pk).exists()
    entry = AuditEntry.objects.get(season=season, action="season settings changed")
    assert entry.changes["closure tiers removed"] == [
        "$100.00 until 2017-07-20 23:59 EDT (Late fee)"]
    assert entry.changes["closure tiers changed"] == [[
        "$0.00 until 2017-07-13 23:59 EDT (On time)",
        "$25.00 until 2017-07-13 23:59 EDT (Early)"]]
    assert len(entry.changes["closure tiers added"]) == 1


def test_two_tiers_may_trade_moments(client, coordinator, season, tiered):
    on_time, late = tiered
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(season, tiers=[
        tier_row(on_time, filed_by="2017-07-20T23:59"),
        tier_row(late, filed_by="2017-07-13T23:59")]))
    assert response.status_code == 302, response.text
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.filed_by > late.filed_by


def test_saving_the_page_unchanged_records_nothing(client, coordinator, season, tiered):
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(
        season, tiers=[tier_row(t, fee=str(int(t.fee))) for t in tiered]))
    assert response.status_code == 302, response.text
    assert not AuditEntry.objects.filter(season=season).exists()


def test_two_tiers_for_the_same_moment_are_refused(client, coordinator, season, tiered):
    on_time, late = tiered
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(season, tiers=[
        tier_row(on_time), tier_row(late),
        {"filed_by": "2017-07-13T23:59", "fee": "5", "label": "Same moment"}]))
    assert response.status_code == 200
    assert "Another tier has the same moment" in response.text
    assert season.closure_tiers.count() == 2


def test_a_tier_of_another_season_cannot_be_changed_through_this_one(client, coordinator,
                                                                      season, tiered):
    other = season_create(jurisdiction=season.jurisdiction, year=2018, slug="agawam-2018")
    foreign = ClosureFeeTier.objects.create(
        season=other, filed_by=other.at(dt.date(2018, 7, 1), dt.time(12)), fee=Decimal("1"))
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(season, tiers=[
        tier_row(foreign, fee="999", label="hijacked")]))
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.fee == Decimal("1") and foreign.label == ""


# ------------------------------------------------------------------ errors keep the input


def test_errors_are_shown_by_their_fields_and_keep_what_was_typed(client, coordinator, season):
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(
        season, default_start="21:00", default_end="18:00", notes="Keep this note",
        permit_prefix="AGW", neighbor_consent_percent="120",
        tiers=[{"filed_by": "2017-07-13T23:59", "fee": "-5", "label": "Typed tier"}]))
    assert response.status_code == 200
    page = response.text
    assert "Nothing was saved" in page
    # The banner names every section with an error, each a link to it, in the page's order.
    banner = page.split('id="form-errors"')[1].split("</div>")[0]
    assert re.findall(r'href="#section-(\w+)">', banner) == ["night", "closures", "tiers"]
    assert "The night</a> (Usual end)" in banner  # the rules' own sense, at once too
    assert "Street closures</a> (Neighbor consent percent)" in banner
    assert "Closure fee tiers</a> (tier 1)" in banner
    assert all(f'id="section-{s}"' in page for s in ("closures", "tiers"))
    assert "Ensure this value is less than or equal to 100." in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert "Keep this note" in page and 'value="AGW"' in page and 'value="Typed tier"' in page
    assert 'value="21:00"' in page and 'value="120"' in page


def test_the_services_errors_land_by_their_fields(client, coordinator, season):
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(
        season, default_start="21:00", default_end="18:00", nno_date="2018-08-07",
        registration_deadline="2017-07-20T23:59", rain_date_rule="fixed"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["default_end"] == ["The usual hours must end after they start."]
    assert form.errors["nno_date"] == ["The date must fall in the season's year."]
    assert "rain_date" in form.errors
    assert 'value="2017-07-20T23:59"' in response.text


def test_nothing_is_written_when_one_part_is_wrong(client, coordinator, season, tiered):
    on_time, late = tiered
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(
        season, notes="Changed", permit_prefix="NEW", tiers=[
            tier_row(on_time, DELETE="on"), tier_row(late, fee="200"),
            {"filed_by": "2017-07-20T23:59", "fee": "1", "label": "Clash"}]))
    assert response.status_code == 200
    season.refresh_from_db()
    assert season.notes == "" and season.permit_prefix == ""
    assert sorted(t.fee for t in season.closure_tiers.all()) == [Decimal("0"), Decimal("100")]
    assert not AuditEntry.objects.filter(season=season).exists()


def test_the_service_is_all_or_nothing(season, coordinator, tiered):
    on_time, _ = tiered
    from nightout.registry.services import FeeTierInput

    with pytest.raises(ValidationError) as error:
        season_update(season=season, actor=Actor.of(coordinator), data=SeasonInput(
            rules={"notes": "Changed", "neighbor_consent_percent": 50},
            tiers=(FeeTierInput(id=on_time.pk, delete=True, filed_by=on_time.filed_by,
                                fee=on_time.fee),
                   FeeTierInput(filed_by=on_time.filed_by, fee=Decimal("-1")))))
    assert "closure_tiers.1.fee" in error.value.message_dict
    season.refresh_from_db()
    assert season.notes == "" and season.neighbor_consent_percent == 0
    assert ClosureFeeTier.objects.filter(pk=on_time.pk).exists()


# ------------------------------------------------------------------ the audit trail


def test_the_audit_trail_says_who_changed_what(client, coordinator, season):
    client.force_login(coordinator)
    client.post(settings_url(season), form_data(
        season, neighbor_consent_percent="75", registration_deadline="2017-07-20T23:59"))
    entry = AuditEntry.objects.get(season=season)
    assert (entry.actor, entry.actor_label, entry.event) == (coordinator, "casey", None)
    assert entry.changes == {
        "neighbor_consent_percent": ["0", "75"],
        "registration_deadline": ["", "2017-07-20 23:59 EDT"],
    }
    page = client.get(settings_url(season)).text
    assert "Changes to the settings" in page
    assert "Registration deadline: (empty) → 2017-07-20 23:59 EDT" in page
    assert "Neighbor consent percent: 0 → 75" in page
    client.post(settings_url(season), form_data(
        season, neighbor_consent_percent="75", registration_deadline="2017-07-20T23:59"))
    assert AuditEntry.objects.filter(season=season).count() == 1  # nothing changed


# ------------------------------------------------------------------ next year's season


def test_a_new_season_takes_the_rules_of_the_year_before(client, coordinator, season, tiered):
    season_update(season=season, actor=Actor.of(coordinator), data=SeasonInput(rules={
        "registration_deadline": season.at(dt.date(2017, 7, 18), dt.time(23, 59)),
        "neighbor_consent_percent": 75, "rain_date_rule": "next_day", "permit_prefix": "AG",
        "visit_kinds": ["police", "fire"], "visit_request_lead_days": 10,
        "one_event_per_block": True}))
    client.force_login(coordinator)
    page = client.get(reverse("registry:season_new") + "?town=agawam").text
    assert 'value="2018"' in page
    response = client.post(reverse("registry:season_new"), {"town": "agawam", "year": "2018"})
    new = Season.objects.get(jurisdiction=season.jurisdiction, year=2018)
    assert response["Location"] == settings_url(new)
    # 1 August 2017 and 7 August 2018 are both the first Tuesday of August: 371 days apart.
    assert new.slug == "agawam-2018" and new.nno_date == dt.date(2018, 8, 7)
    assert new.registration_deadline == new.at(dt.date(2018, 7, 24), dt.time(23, 59))
    assert (new.neighbor_consent_percent, new.rain_date_rule, new.permit_prefix) == (
        75, "next_day", "AG")
    assert new.visit_kinds == ["police", "fire"] and new.visit_request_lead_days == 10
    assert new.one_event_per_block
    assert [(t.filed_by.astimezone(NEW_YORK).replace(tzinfo=None), t.fee, t.label)
            for t in new.closure_tiers.order_by("filed_by")] == [
        (dt.datetime(2018, 7, 19, 23, 59), Decimal("0.00"), "On time"),
        (dt.datetime(2018, 7, 26, 23, 59), Decimal("100.00"), "Late fee")]
    assert AuditEntry.objects.filter(season=new, action="season started").exists()
    assert season.closure_tiers.count() == 2  # the old season keeps its own


def test_a_town_without_a_season_is_offered_the_coming_night(client):
    Jurisdiction.objects.create(name="Orange", slug="orange", state="MA",
                                time_zone="America/New_York", center_latitude=42.59,
                                center_longitude=-72.31)
    client.force_login(User.objects.create_superuser("root", password="pw"))
    page = client.get(reverse("registry:review_seasons")).text
    assert "Start a season" in page
    today = dt.datetime.now(NEW_YORK).date()
    coming = today.year + (today > default_nno_date(today.year, "MA"))
    page = client.get(reverse("registry:season_new") + "?town=orange").text
    assert f'name="year" value="{coming}"' in page
    response = client.post(reverse("registry:season_new"), {"town": "orange", "year": "2030"})
    season = Season.objects.get(slug="orange-2030")
    assert response["Location"] == settings_url(season)
    assert season.nno_date == dt.date(2030, 8, 6) and not season.closure_tiers.exists()


def test_a_texas_town_starts_on_the_first_tuesday_of_october(coordinator):
    houston = Jurisdiction.objects.create(name="Houston", slug="houston", state="TX",
                                          time_zone="America/Chicago", center_latitude=29.76,
                                          center_longitude=-95.37)
    admin = User.objects.create_superuser("root", password="pw")
    season = season_start(jurisdiction=houston, year=2027, actor=Actor.of(admin))
    assert season.nno_date == dt.date(2027, 10, 5) and season.slug == "houston-2027"


def test_a_duplicate_year_is_refused_with_a_clear_message(client, coordinator, season):
    client.force_login(coordinator)
    response = client.post(reverse("registry:season_new"), {"town": "agawam", "year": "2017"})
    assert response.status_code == 200
    assert SEASON_EXISTS.format(town="Agawam", year=2017) in response.text
    assert Season.objects.filter(jurisdiction=season.jurisdiction).count() == 1


def test_the_coordinate_page_links_the_settings_and_next_years_season(client, coordinator,
                                                                      season):
    season_create(jurisdiction=season.jurisdiction, year=2016, slug="agawam-2016")
    client.force_login(coordinator)
    page = client.get(reverse("registry:review_seasons")).text
    assert settings_url(season) in page and "Season settings" in page
    assert page.count("Start next year's season") == 1
    assert reverse("registry:season_new") + "?town=agawam" in page


def test_the_rules_own_errors_show_with_a_fields_error_not_a_save_later(client, coordinator,
                                                                         season):
    """Hours that end before they start and a fixed rule without its rain date are said at
    once with a consent of 120 %, not only after that is fixed."""
    client.force_login(coordinator)
    response = client.post(settings_url(season), form_data(
        season, default_start="21:00", default_end="18:00", neighbor_consent_percent="120",
        rain_date_rule="fixed"))
    form = response.context["form"]
    assert form.errors["default_end"] == ["The usual hours must end after they start."]
    assert "neighbor_consent_percent" in form.errors and "rain_date" in form.errors
    banner = response.text.split('id="form-errors"')[1].split("</div>")[0]
    assert re.findall(r'href="#section-(\w+)">', banner) == ["night", "closures", "rain"]
