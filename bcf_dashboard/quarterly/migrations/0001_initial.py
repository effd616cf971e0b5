"""The quarterly summary's models, moved here from the core app (label ``bcf_dashboard``).

Only Django's record of the models moves: the tables keep their names and rows (``db_table``);
core migration 0005 drops the models from the core app's record.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('bcf_dashboard', '0004_value_change_unchecked_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.CreateModel(
                    name='HistoricalQuarterNarrative',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('financial_year', models.PositiveSmallIntegerField()),
                        ('quarter', models.PositiveSmallIntegerField()),
                        ('section', models.CharField(help_text='challenges, achievements, support or metric:<code>', max_length=60)),
                        ('text', models.TextField(blank=True)),
                        ('updated_at', models.DateTimeField()),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bcf_dashboard.area')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'bcf_dashboard_historicalquarternarrative',
                        'verbose_name': 'historical quarter narrative',
                        'verbose_name_plural': 'historical quarter narratives',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='QuarterNarrative',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('financial_year', models.PositiveSmallIntegerField()),
                        ('quarter', models.PositiveSmallIntegerField()),
                        ('section', models.CharField(help_text='challenges, achievements, support or metric:<code>', max_length=60)),
                        ('text', models.TextField(blank=True)),
                        ('updated_at', models.DateTimeField()),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quarter_narratives', to='bcf_dashboard.area')),
                        ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'bcf_dashboard_quarternarrative',
                        'ordering': ['area', 'financial_year', 'quarter', 'section'],
                        'constraints': [models.UniqueConstraint(fields=('area', 'financial_year', 'quarter', 'section'), name='quarter_narrative_unique'), models.CheckConstraint(condition=models.Q(('quarter__gte', 1), ('quarter__lte', 4)), name='narrative_quarter_1_to_4')],
                    },
                ),
                migrations.CreateModel(
                    name='QuarterSummarySnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('financial_year', models.PositiveSmallIntegerField()),
                        ('quarter', models.PositiveSmallIntegerField()),
                        ('version', models.PositiveSmallIntegerField()),
                        ('document', models.JSONField(help_text='The summary document, chart figures and narrative as approved')),
                        ('approved_at', models.DateTimeField()),
                        ('approved_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='summary_snapshots', to='bcf_dashboard.area')),
                        ('event', models.OneToOneField(help_text='The approval that froze it', on_delete=django.db.models.deletion.PROTECT, related_name='snapshot', to='bcf_dashboard.quarterreturnevent')),
                        ('quarter_return', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='bcf_dashboard.quarterreturn')),
                    ],
                    options={
                        'db_table': 'bcf_dashboard_quartersummarysnapshot',
                        'ordering': ['area', 'financial_year', 'quarter', 'version'],
                        'constraints': [models.UniqueConstraint(fields=('area', 'financial_year', 'quarter', 'version'), name='summary_snapshot_version_unique'), models.CheckConstraint(condition=models.Q(('quarter__gte', 1), ('quarter__lte', 4)), name='snapshot_quarter_1_to_4'), models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='snapshot_version_from_1')],
                    },
                ),
        ]),
    ]
