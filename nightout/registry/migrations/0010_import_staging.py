"""The web import no longer keeps the uploaded file: a batch keeps only the mapped values it
needs (`rows`), its faults, and its progress. An upload kept by an earlier version is emptied
here before its column goes, and a batch waiting to be applied is abandoned: its rows are
gone with the file, so it is uploaded again. A season remembers how its last spreadsheet's
columns were read."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def empty_kept_uploads(apps, schema_editor):
    ImportBatch = apps.get_model("registry", "ImportBatch")
    ImportBatch.objects.filter(status="checked").update(status="abandoned")
    ImportBatch.objects.update(content=b"")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0009_event_coordinator_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(empty_kept_uploads, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='importbatch',
            name='content',
        ),
        migrations.RemoveField(
            model_name='importbatch',
            name='drop_columns',
        ),
        migrations.AddField(
            model_name='importbatch',
            name='applied_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='counts',
            field=models.JSONField(blank=True, default=dict, help_text='rows, created, changed and unchanged.'),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='faults',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='mapping',
            field=models.JSONField(blank=True, default=dict, help_text="The column as the file spells it -> the field it was read as, or '-'."),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='message',
            field=models.TextField(blank=True, help_text='Why the check or the apply failed.'),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='progress_done',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='progress_total',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='rows',
            field=models.JSONField(blank=True, default=list, help_text="The staged rows: only the mapped columns' values."),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='sheet',
            field=models.CharField(blank=True, help_text="The workbook's sheet that was read; empty for a CSV.", max_length=200),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='unmapped',
            field=models.JSONField(blank=True, default=list, help_text='The columns that were not read, as spelled.'),
        ),
        migrations.AddField(
            model_name='season',
            name='import_mapping',
            field=models.JSONField(blank=True, default=dict, help_text="How the last spreadsheet's columns were read: the column's name (without case, spaces or punctuation) -> the field, or '-' for a column left out."),
        ),
        migrations.AlterField(
            model_name='importbatch',
            name='status',
            field=models.CharField(choices=[('checking', 'Being checked'), ('checked', 'Checked, not applied'), ('applying', 'Being written'), ('applied', 'Applied'), ('abandoned', 'Abandoned'), ('failed', 'Failed')], max_length=12),
        ),
    ]
