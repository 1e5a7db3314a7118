"""The moved models' tables take the results app's names, and their content types
(with the permissions attached to them) move from judging to results, so nothing
that points at them by content type is left behind."""

from django.db import migrations

MOVED = [
    "AdvancementDecision",
    "Award",
    "Objection",
    "Publication",
    "ScoreBand",
    "StageMinutes",
    "StageWeight",
]


def _move_content_types(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for name in MOVED:
        model = name.lower()
        if types.filter(app_label=target, model=model).exists():
            continue
        types.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "judging", "results")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "results", "judging")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("results", "0001_initial"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=name, table=None) for name in MOVED),
        migrations.RunPython(forwards, backwards),
    ]
