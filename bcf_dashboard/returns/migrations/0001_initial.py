"""The pending upload, moved here from the core app (label ``bcf_dashboard``): only Django's record
of the model moves; the table keeps its name and rows (core migration 0005 drops it from the core's record).
"""

import django.db.models.deletion
import django.utils.timezone
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
                    name='PendingUpload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=64, unique=True)),
                        ('file_name', models.CharField(max_length=255)),
                        ('content', models.BinaryField()),
                        ('sha256', models.CharField(max_length=64)),
                        ('size', models.PositiveIntegerField()),
                        ('reason', models.TextField(blank=True, help_text='Given with the upload for revisions of an agreed plan')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expires_at', models.DateTimeField()),
                        ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='bcf_dashboard.area')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'bcf_dashboard_pendingupload',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['expires_at'], name='bcf_dashboa_expires_f4ff0c_idx')],
                    },
                ),
        ]),
    ]
