from django.db import migrations, models


def mark_cancelled_in_public(apps, schema_editor):
    """The events already cancelled after their approval, as the audit trail says, stay in
    calendars as cancelled."""
    Event = apps.get_model("registry", "Event")
    AuditEntry = apps.get_model("registry", "AuditEntry")
    cancelled = AuditEntry.objects.filter(action="cancelled", changes__status__0="approved")
    Event.objects.filter(status="cancelled", pk__in=cancelled.values("event_id")).update(
        cancelled_in_public=True, sequence=1)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0012_event_rescheduled_from'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='cancelled_in_public',
            field=models.BooleanField(db_default=False, default=False, help_text='Cancelled after it was public: calendars keep listing it, as cancelled.'),
        ),
        migrations.AddField(
            model_name='event',
            name='sequence',
            field=models.PositiveIntegerField(db_default=0, default=0, help_text="How many times its time, date, place or status changed: a calendar's SEQUENCE, so calendars that hold it take the change."),
        ),
        migrations.RunPython(mark_cancelled_in_public, migrations.RunPython.noop),
    ]
