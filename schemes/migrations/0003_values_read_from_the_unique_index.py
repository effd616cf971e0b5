from django.db import migrations

# The same unique key, its index carrying the value too, so that an area-year's values are read from
# the index alone (decision 17). PostgreSQL only: SQLite has no INCLUDE, and Django would create no
# constraint at all there if the model declared one, so the model keeps the plain constraint of the
# same name and this migration changes only how PostgreSQL holds it.
#
# The new index is built beside the old one without locking the table (CONCURRENTLY: a few seconds at
# national scale, reads and writes going on), then takes the constraint's place in one quick ALTER.
# An index left invalid by an interrupted build is dropped first, so the migration can run again.


def swap(columns, build):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {build}")
        schema_editor.execute(
            f"CREATE UNIQUE INDEX CONCURRENTLY {build} ON schemes_schemevalue (scheme_id, period_id, measure, kind)"
            f"{columns}"
        )
        schema_editor.execute(
            "ALTER TABLE schemes_schemevalue DROP CONSTRAINT scheme_value_unique, "
            f"ADD CONSTRAINT scheme_value_unique UNIQUE USING INDEX {build}"
        )

    return run


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("schemes", "0002_illustrative_values_index"),
    ]

    operations = [
        migrations.RunPython(
            swap(" INCLUDE (value)", "scheme_value_unique_covering"),
            swap("", "scheme_value_unique_plain"),
            elidable=False,
        ),
    ]
