from django.db import migrations

# The same unique key, its index carrying the value too, so that an area-year's values are read from
# the index alone (decision 17). PostgreSQL only: SQLite has no INCLUDE, and Django would create no
# constraint at all there if the model declared one, so the model keeps the plain constraint of the
# same name and this migration changes only how PostgreSQL holds it. Rebuilding it takes a few seconds
# at national scale (two million values), during which writes of values wait.
COVERING = (
    "ALTER TABLE schemes_schemevalue DROP CONSTRAINT scheme_value_unique, "
    "ADD CONSTRAINT scheme_value_unique UNIQUE (scheme_id, period_id, measure, kind) INCLUDE (value)"
)
PLAIN = (
    "ALTER TABLE schemes_schemevalue DROP CONSTRAINT scheme_value_unique, "
    "ADD CONSTRAINT scheme_value_unique UNIQUE (scheme_id, period_id, measure, kind)"
)


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("schemes", "0002_illustrative_values_index"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(COVERING), on_postgresql(PLAIN), elidable=False),
    ]
