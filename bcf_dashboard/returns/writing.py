"""Writing many rows at once: multi-row INSERT (SQLite) or COPY (PostgreSQL), upsert or plain.

bulk_create prepares every field of every object through the ORM, which for 100,000
values costs more than checking the whole file. The rows given here are already
database-ready (ids, Decimals, integer hundredths, one adapted timestamp), so plain
SQL is enough; on PostgreSQL COPY is several times faster again than VALUES.
"""

import csv
import io

from django.db import connection

BATCH_SIZE = 2000
# Below this many rows one INSERT ... VALUES beats COPY, whose upsert needs a temporary table
# made and dropped (a form save writes a handful of values).
COPY_FROM = 500


def _copies(cursor, rows=COPY_FROM) -> bool:
    # COPY needs PostgreSQL through psycopg2 (psycopg 3 spells it differently: VALUES then).
    return connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert") and rows >= COPY_FROM


def rows_per_insert(column_count: int) -> int | None:
    """Rows in one INSERT: BATCH_SIZE, fewer where the database caps parameters (SQLite: 999).

    None on PostgreSQL, where the rows go in with one COPY whatever their number.
    """
    with connection.cursor() as cursor:
        if _copies(cursor):
            return None
    cap = connection.features.max_query_params
    return max(1, min(BATCH_SIZE, cap // column_count)) if cap else BATCH_SIZE


def insert_rows(model, fields, rows, *, conflict=(), update=()):
    """Insert tuples in ``fields`` order; an upsert of ``update`` when ``conflict`` names the unique key."""
    if not rows:
        return

    def column(name):
        return connection.ops.quote_name(model._meta.get_field(name).column)

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(map(column, fields))
    tail = ""
    if conflict:
        assignments = ", ".join(f"{column(name)} = EXCLUDED.{column(name)}" for name in update)
        keys = ", ".join(map(column, conflict))
        tail = f" ON CONFLICT ({keys}) DO UPDATE SET {assignments}"  # nosec B608  # quoted column names only
    with connection.cursor() as cursor:
        if _copies(cursor, len(rows)):
            # The csv module quotes None as "" too; FORCE_NULL reads that back as NULL in every
            # column that cannot hold text, so only notes keep their empty strings.
            not_text = [
                column(name)
                for name in fields
                if model._meta.get_field(name).get_internal_type() not in ("CharField", "TextField")
            ]
            _copy(cursor, table, columns, rows, upsert_tail=tail, force_null=", ".join(not_text))
            return
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = rows_per_insert(len(fields)) or BATCH_SIZE
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            placeholders = ", ".join([one_row] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {placeholders}{tail}"  # nosec B608  # values go as %s
            cursor.execute(sql, [value for row in chunk for value in row])


def _copy(cursor, table, columns, rows, *, upsert_tail, force_null):
    """COPY the rows in; for an upsert, into a bare temporary table first, then INSERT ... SELECT.

    Every name formatted into these statements is a quote_name()d table or column of the model
    (``insert_rows``); no value from a file ever is: the rows go in as COPY data.
    """
    target = table
    if upsert_tail:
        target = connection.ops.quote_name("returns_incoming")
        empty = f"CREATE TEMPORARY TABLE {target} AS SELECT {columns} FROM {table}"  # nosec B608  # quoted names only
        cursor.execute(f"{empty} WITH NO DATA")
    # COPY's CSV format, written by the csv module in C rather than cell by cell in Python.
    data = io.StringIO()
    csv.writer(data, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    data.seek(0)
    options = f"FORMAT csv, FORCE_NULL ({force_null})" if force_null else "FORMAT csv"
    cursor.cursor.copy_expert(f"COPY {target} ({columns}) FROM STDIN WITH ({options})", data)
    if upsert_tail:
        upsert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target}"  # nosec B608  # quoted names only
        cursor.execute(f"{upsert}{upsert_tail}")
        cursor.execute(f"DROP TABLE {target}")
