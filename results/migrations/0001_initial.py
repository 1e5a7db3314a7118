"""The results' models, moved from judging (judging 0003 to 0006 made their tables):
the state takes them over under their old tables, the database is left as it is;
0002 renames the tables."""

import django.core.validators
import django.db.models.deletion
import results.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contest', '0002_frozen_at_row_hash'),
        ('judging', '0006_conflict_rule_delegate'),
        ('submissions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AdvancementDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decided_at', models.DateTimeField(verbose_name='decided')),
                        ('places', models.PositiveSmallIntegerField(verbose_name='places per category')),
                        ('quotas', models.JSONField(blank=True, default=dict, help_text='Places per region type in each category, e.g. {"kota": 2}.', verbose_name='quotas per region type')),
                        ('advanced', models.JSONField(default=list, verbose_name='advanced entries')),
                        ('not_advanced', models.JSONField(default=list, verbose_name='entries not advanced')),
                        ('tie_decisions', models.JSONField(blank=True, default=list, help_text='Each tie at a cut: the tied entries and those chosen.', verbose_name='decisions at tied cuts')),
                        ('basis', models.JSONField(default=list, help_text='[entry, rank, normalized score, raw score] of each entry.', verbose_name='figures decided on')),
                        ('ranked_by', models.CharField(choices=[('normalized', 'normalized score'), ('raw', 'raw score')], default='normalized', max_length=12, verbose_name='ranked by')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('stage', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='advancement', to='contest.stage', verbose_name='stage')),
                    ],
                    options={
                        'db_table': 'judging_advancementdecision',
                        'verbose_name': 'advancement decision',
                        'verbose_name_plural': 'advancement decisions',
                        'ordering': ['stage'],
                    },
                ),
                migrations.CreateModel(
                    name='Publication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('provisional', 'Provisional'), ('final', 'Final')], max_length=12, verbose_name='kind')),
                        ('snapshot', models.JSONField(verbose_name='snapshot')),
                        ('digest', models.CharField(max_length=64, verbose_name='SHA-256 digest')),
                        ('published_at', models.DateTimeField(verbose_name='published')),
                        ('objections_close', models.DateTimeField(blank=True, null=True, verbose_name='objections close')),
                        ('ledger_head_hash', models.CharField(blank=True, help_text='The hash of the last ledger entry when this was published.', max_length=64, verbose_name='audit ledger head')),
                        ('objections_open_to_all', models.BooleanField(default=False, help_text='Unless set, only verified accounts taking part in the contest may object.', verbose_name='objections open to everyone')),
                        ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='publications', to='contest.contest', verbose_name='contest')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
                    ],
                    options={
                        'db_table': 'judging_publication',
                        'verbose_name': 'publication',
                        'verbose_name_plural': 'publications',
                        'ordering': ['contest', '-published_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Objection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=4000, verbose_name='objection')),
                        ('filed_at', models.DateTimeField(auto_now_add=True, verbose_name='filed')),
                        ('outcome', models.CharField(choices=[('pending', 'Awaiting an answer'), ('upheld', 'Upheld'), ('dismissed', 'Dismissed')], default='pending', max_length=10, verbose_name='outcome')),
                        ('answer', models.TextField(blank=True, max_length=4000, verbose_name='answer')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                        ('filed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='filed by')),
                        ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objections', to='submissions.submission', verbose_name='entry')),
                        ('publication', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objections', to='results.publication', verbose_name='provisional results')),
                    ],
                    options={
                        'db_table': 'judging_objection',
                        'verbose_name': 'objection',
                        'verbose_name_plural': 'objections',
                        'ordering': ['publication', 'filed_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ScoreBand',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=60, verbose_name='label')),
                        ('threshold', models.DecimalField(decimal_places=2, max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='from score')),
                        ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='score_bands', to='contest.contest', verbose_name='contest')),
                    ],
                    options={
                        'db_table': 'judging_scoreband',
                        'verbose_name': 'score band',
                        'verbose_name_plural': 'score bands',
                        'ordering': ['contest', '-threshold'],
                    },
                ),
                migrations.CreateModel(
                    name='StageMinutes',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=255, upload_to=results.models.minutes_upload_to, verbose_name='file')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the file')),
                        ('ledger_head_hash', models.CharField(max_length=64, verbose_name='audit ledger head')),
                        ('generated_at', models.DateTimeField(verbose_name='generated')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('stage', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='minutes', to='contest.stage', verbose_name='stage')),
                    ],
                    options={
                        'db_table': 'judging_stageminutes',
                        'verbose_name': 'stage minutes',
                        'verbose_name_plural': 'stage minutes',
                        'ordering': ['stage', '-generated_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StageWeight',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weight', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(0)], verbose_name='weight in the final score')),
                        ('stage', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='stage_weight', to='contest.stage', verbose_name='stage')),
                    ],
                    options={
                        'db_table': 'judging_stageweight',
                        'verbose_name': 'stage weight',
                        'verbose_name_plural': 'stage weights',
                    },
                ),
                migrations.CreateModel(
                    name='Award',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('kind', models.CharField(choices=[('place', 'Place in a category'), ('special', 'Special award'), ('regional', 'Regional ranking')], default='place', max_length=10, verbose_name='kind')),
                        ('rank', models.PositiveSmallIntegerField(blank=True, help_text='The order in which awards are listed: 1 for the first place.', null=True, verbose_name='rank')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='given')),
                        ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='contest.category', verbose_name='category')),
                        ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='awards', to='contest.contest', verbose_name='contest')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='given by')),
                        ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='contest.region', verbose_name='region')),
                        ('submission', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='submissions.submission', verbose_name='entry')),
                    ],
                    options={
                        'db_table': 'judging_award',
                        'verbose_name': 'award',
                        'verbose_name_plural': 'awards',
                        'ordering': ['contest', 'kind', 'category__order', 'rank', 'name', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('submission__isnull', False), ('region__isnull', True)), models.Q(('submission__isnull', True), ('region__isnull', False)), _connector='OR'), name='award_entry_xor_region', violation_error_message='An award goes to an entry or to a region, not both.'), models.UniqueConstraint(condition=models.Q(('category__isnull', False)), fields=('contest', 'category', 'name'), name='award_name_unique_in_category'), models.UniqueConstraint(condition=models.Q(('category__isnull', True)), fields=('contest', 'kind', 'name', 'region'), name='award_name_unique_per_region')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='publication',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'final')), fields=('contest',), name='publication_one_final', violation_error_message='The results are already published.'),
                ),
                migrations.AddConstraint(
                    model_name='publication',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'provisional'), ('objections_close__isnull', False)), models.Q(('kind', 'final'), ('objections_close__isnull', True)), _connector='OR'), name='publication_window_iff_provisional'),
                ),
                migrations.AddConstraint(
                    model_name='objection',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('outcome', 'pending'), ('answer', ''), ('answered_at__isnull', True)), models.Q(models.Q(('outcome', 'pending'), _negated=True), models.Q(('answer', ''), _negated=True), ('answered_at__isnull', False)), _connector='OR'), name='objection_answered_iff_resolved', violation_error_message='A resolved objection needs a written answer.'),
                ),
                migrations.AddConstraint(
                    model_name='scoreband',
                    constraint=models.UniqueConstraint(fields=('contest', 'threshold'), name='score_band_threshold_unique'),
                ),
                migrations.AddConstraint(
                    model_name='scoreband',
                    constraint=models.UniqueConstraint(fields=('contest', 'label'), name='score_band_label_unique'),
                ),
                migrations.AddConstraint(
                    model_name='scoreband',
                    constraint=models.CheckConstraint(condition=models.Q(('threshold__gte', 0), ('threshold__lte', 100)), name='score_band_threshold_range'),
                ),
                migrations.AddConstraint(
                    model_name='stageweight',
                    constraint=models.CheckConstraint(condition=models.Q(('weight__gte', 0)), name='stage_weight_not_negative'),
                ),
            ],
        ),
    ]
