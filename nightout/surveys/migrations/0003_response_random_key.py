"""Survey answers get a random key (UUID) instead of a sequential number: a sequential key
put the answers to one event in the order they came, which the access log of the survey's
POSTs could match to addresses and times.

A primary key cannot change type in place on a populated table on every database, so the
answers move to a new table: its constraints and index are taken off the old table first (their
names must stay free), each row is copied in a random order with a random key, the old table is
dropped and the new one takes its name.
"""

import random
import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

LIKERT = [django.core.validators.MinValueValidator(1),
          django.core.validators.MaxValueValidator(5)]
ITEMS = ("respect", "listen", "safe")
FIELDS = ("season_id", "event_id", "district", "language", "respect", "listen", "safe",
          "changed", "come_again", "comment", "comment_status", "submitted_on")


def copy_answers(apps, schema_editor):
    old = apps.get_model("surveys", "SurveyResponse")
    new = apps.get_model("surveys", "SurveyResponseKeyed")
    db = schema_editor.connection.alias
    rows = list(old.objects.using(db).values_list(*FIELDS))
    random.SystemRandom().shuffle(rows)  # the new table keeps no trace of the old order
    new.objects.using(db).bulk_create(
        [new(id=uuid.uuid4(), **dict(zip(FIELDS, row, strict=True))) for row in rows], batch_size=500)


def copy_back(apps, schema_editor):
    old = apps.get_model("surveys", "SurveyResponse")
    new = apps.get_model("surveys", "SurveyResponseKeyed")
    db = schema_editor.connection.alias
    old.objects.using(db).bulk_create(
        [old(**dict(zip(FIELDS, row, strict=True))) for row in new.objects.using(db).values_list(*FIELDS)],
        batch_size=500)


def constraints():
    return [
        models.CheckConstraint(
            condition=models.Q((f"{name}__isnull", True),
                               models.Q((f"{name}__gte", 1), (f"{name}__lte", 5)),
                               _connector="OR"),
            name=f"survey_{name}_1_to_5")
        for name in ITEMS
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_host_report"),
        ("surveys", "0002_summary"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="surveyresponse", name="survey_season_district"),
        *[migrations.RemoveConstraint(model_name="surveyresponse", name=f"survey_{name}_1_to_5")
          for name in ITEMS],
        migrations.CreateModel(
            name="SurveyResponseKeyed",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True,
                                        serialize=False)),
                ("district", models.CharField(blank=True, max_length=80)),
                ("language", models.CharField(default="en", max_length=8)),
                ("respect", models.PositiveSmallIntegerField(blank=True, null=True,
                                                             validators=LIKERT)),
                ("listen", models.PositiveSmallIntegerField(blank=True, null=True,
                                                            validators=LIKERT)),
                ("safe", models.PositiveSmallIntegerField(blank=True, null=True,
                                                          validators=LIKERT)),
                ("changed", models.CharField(blank=True, choices=[
                    ("better", "Better"), ("same", "No change"), ("worse", "Worse")],
                    max_length=8)),
                ("come_again", models.CharField(blank=True, choices=[
                    ("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")], max_length=8)),
                ("comment", models.TextField(blank=True, max_length=1000)),
                ("comment_status", models.CharField(choices=[
                    ("none", "No comment"), ("pending", "Waiting for moderation"),
                    ("published", "Published"), ("rejected", "Not published")],
                    default="none", max_length=10)),
                ("submitted_on", models.DateField(help_text="The day only, never the time.")),
                ("event", models.ForeignKey(blank=True, null=True,
                                            on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="+", to="registry.event")),
                ("season", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="registry.season")),
            ],
            options={
                "ordering": ["-submitted_on", "id"],
                "indexes": [models.Index(fields=["season", "district"],
                                         name="survey_season_district")],
                "constraints": constraints(),
            },
        ),
        migrations.RunPython(copy_answers, copy_back),
        migrations.DeleteModel(name="SurveyResponse"),
        migrations.RenameModel(old_name="SurveyResponseKeyed", new_name="SurveyResponse"),
        migrations.AlterField(
            model_name="surveyresponse", name="event",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="survey_responses", to="registry.event"),
        ),
        migrations.AlterField(
            model_name="surveyresponse", name="season",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="survey_responses", to="registry.season"),
        ),
    ]
