from django.db import migrations

from nightout.registry.activities import STANDARD_ACTIVITIES


def add_activities(apps, schema_editor):
    Activity = apps.get_model("registry", "Activity")
    for position, (slug, name) in enumerate(STANDARD_ACTIVITIES):
        Activity.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_activities, migrations.RunPython.noop)]
