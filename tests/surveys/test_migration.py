"""The move of survey answers to random keys keeps every answer, on a database that has rows
(run on SQLite and on PostgreSQL)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The registry as it was then too: its tables must match the historical models the test
# writes through (a later required column, such as the stored public point, has no value).
REGISTRY_THEN = ("registry", "0011_import_lines_to_fix")
BEFORE = [("surveys", "0002_summary"), REGISTRY_THEN]
AFTER = [("surveys", "0003_response_random_key"), REGISTRY_THEN]
VALUES = ("district", "respect", "listen", "safe", "changed", "come_again", "comment",
          "comment_status", "submitted_on", "event_id", "season_id")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_answers_keep_their_values_and_get_random_keys():
    apps = migrate(BEFORE)
    try:
        town = apps.get_model("registry", "Jurisdiction").objects.create(
            name="Agawam", slug="agawam", state="MA", time_zone="America/New_York",
            center_latitude=42.07, center_longitude=-72.61)
        season = apps.get_model("registry", "Season").objects.create(
            jurisdiction=town, year=2017, slug="agawam-2017", nno_date=dt.date(2017, 8, 1))
        start = dt.datetime(2017, 8, 1, 21, tzinfo=dt.UTC)
        event = apps.get_model("registry", "Event").objects.create(
            season=season, title="Party", address="12 Elm St", latitude=42.07,
            longitude=-72.61, starts_at=start, ends_at=start + dt.timedelta(hours=3),
            submitted_at=start - dt.timedelta(days=30))
        old = apps.get_model("surveys", "SurveyResponse")
        for n in range(7):
            old.objects.create(season=season, event=event if n % 2 else None,
                               district="North" if n < 3 else "", respect=1 + n % 5,
                               listen=None if n == 4 else 3, changed="better",
                               comment=f"comment {n}", comment_status="pending",
                               submitted_on=dt.date(2017, 8, 1 + n))
        before = sorted(old.objects.values_list(*VALUES))

        apps = migrate(AFTER)
        new = apps.get_model("surveys", "SurveyResponse")
        assert sorted(new.objects.values_list(*VALUES)) == before
        keys = list(new.objects.values_list("pk", flat=True))
        assert len(set(keys)) == 7 and all(isinstance(k, uuid.UUID) and k.version == 4
                                           for k in keys)
        # The constraints came along: an answer out of range is still refused.
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            new.objects.create(season_id=season.pk, respect=6, submitted_on=dt.date(2017, 8, 1))

        # And back: the old table gets every answer again.
        apps = migrate(BEFORE)
        assert sorted(apps.get_model("surveys", "SurveyResponse").objects
                      .values_list(*VALUES)) == before
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
