"""Each event keeps its public point (the block-level point of a private home) in two indexed
columns, filled here for the events already written, and its block's street in a column the
database keeps (`street_key`), so that the finder filters, measures and looks up places in
the database instead of working out every event's point per search."""

import django.db.models.functions.text
from django.db import migrations, models

BATCH_SIZE = 1000


def fill_public_points(apps, schema_editor):
    """The public point of every event, as `nightout.finder.places.public_point` gives it
    under this server's SECRET_KEY."""
    from nightout.finder.places import public_point

    Event = apps.get_model("registry", "Event")
    batch = []
    for event in Event.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        event.public_latitude, event.public_longitude = public_point(
            latitude=event.latitude, longitude=event.longitude,
            is_private_home=event.is_private_home,
            show_exact_location=event.show_exact_location, block_key=event.block_key)
        batch.append(event)
        if len(batch) == BATCH_SIZE:
            Event.objects.bulk_update(batch, ["public_latitude", "public_longitude"])
            batch = []
    Event.objects.bulk_update(batch, ["public_latitude", "public_longitude"])


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0013_event_sequence'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='public_latitude',
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='event',
            name='public_longitude',
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_points, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='event',
            name='public_latitude',
            field=models.FloatField(editable=False, help_text="The public point: the block's fuzzed point for a home."),
        ),
        migrations.AlterField(
            model_name='event',
            name='public_longitude',
            field=models.FloatField(editable=False),
        ),
        migrations.AddField(
            model_name='event',
            name='street_key',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.text.Substr('block_key', django.db.models.functions.text.StrIndex('block_key', models.Value(' ')) + 1), help_text="The block's street: 'elm st' (the finder's look-up of an address).", output_field=models.CharField(max_length=200)),
        ),
        migrations.RemoveIndex(
            model_name='event',
            name='event_coordinates',
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['public_latitude', 'public_longitude'], name='event_public_point'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['street_key', 'status'], name='event_street_status'),
        ),
    ]
