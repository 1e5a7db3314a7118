"""The results' models moved to the results app (results 0001 takes them over with
their tables and rows): judging forgets them, the database is left as it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('judging', '0006_conflict_rule_delegate'),
        ('results', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='award',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='award',
                    name='contest',
                ),
                migrations.RemoveField(
                    model_name='award',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='award',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='award',
                    name='submission',
                ),
                migrations.RemoveField(
                    model_name='objection',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='objection',
                    name='filed_by',
                ),
                migrations.RemoveField(
                    model_name='objection',
                    name='publication',
                ),
                migrations.RemoveField(
                    model_name='objection',
                    name='submission',
                ),
                migrations.RemoveField(
                    model_name='publication',
                    name='contest',
                ),
                migrations.RemoveField(
                    model_name='publication',
                    name='published_by',
                ),
                migrations.RemoveField(
                    model_name='scoreband',
                    name='contest',
                ),
                migrations.RemoveField(
                    model_name='stageminutes',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='stageminutes',
                    name='stage',
                ),
                migrations.RemoveField(
                    model_name='stageweight',
                    name='stage',
                ),
                migrations.DeleteModel(
                    name='AdvancementDecision',
                ),
                migrations.DeleteModel(
                    name='Award',
                ),
                migrations.DeleteModel(
                    name='Objection',
                ),
                migrations.DeleteModel(
                    name='Publication',
                ),
                migrations.DeleteModel(
                    name='ScoreBand',
                ),
                migrations.DeleteModel(
                    name='StageMinutes',
                ),
                migrations.DeleteModel(
                    name='StageWeight',
                ),
            ],
        ),
    ]
