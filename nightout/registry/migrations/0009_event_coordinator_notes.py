"""Events get the town's own notes: never public, never the host's."""

import django.core.validators
from django.db import migrations, models

import nightout.text


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0008_plain_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='coordinator_notes',
            field=models.TextField(blank=True, help_text="The town's own notes on the event: never public, never shown to the host.", max_length=2000, validators=[nightout.text.PlainText('The notes', multiline=True), django.core.validators.MaxLengthValidator(2000)]),
        ),
    ]
