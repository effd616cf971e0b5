"""The quarterly summary's models and the pending upload now belong to their features' apps
(quarterly 0001, returns 0001): drop them from this app's record only. No table changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('bcf_dashboard', '0004_value_change_unchecked_keys'),
        ('quarterly', '0001_initial'),
        ('returns', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='HistoricalQuarterNarrative'),
            migrations.DeleteModel(name='QuarterNarrative'),
            migrations.DeleteModel(name='QuarterSummarySnapshot'),
            migrations.DeleteModel(name='PendingUpload'),
        ]),
    ]
