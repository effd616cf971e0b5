import django.db.models.deletion
from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # The page cache (settings.CACHES, a database table by default) must exist before the first request.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("bcf_dashboard", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaYearDigest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("financial_year", models.PositiveSmallIntegerField()),
                ("version", models.PositiveIntegerField(default=1)),
                ("headline", models.JSONField(blank=True, null=True)),
                ("headline_version", models.PositiveIntegerField(blank=True, null=True)),
                ("has_data", models.BooleanField(
                    null=True, help_text="Schemes, metric values or contributions in the year")),
                ("has_actuals", models.BooleanField(
                    null=True, help_text="Any actual value, metric or spend, in the year")),
                ("area", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="digests", to="bcf_dashboard.area")),
            ],
            options={
                "ordering": ["area", "financial_year"],
                "indexes": [models.Index(fields=["financial_year"], name="digest_year")],
                "constraints": [models.UniqueConstraint(fields=("area", "financial_year"), name="area_year_digest_unique")],
            },
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
