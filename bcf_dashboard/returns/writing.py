"""Writing many rows at once: multi-row INSERT (SQLite) or COPY (PostgreSQL), upsert or plain.

bulk_create prepares every field of every object through the ORM, which for 100,000
values costs more than checking the whole file. The rows given here are already
database-ready (ids, Decimals, integer hundredths, one adapted timestamp), so plain
SQL is enough; on PostgreSQL COPY is several times faster again than VALUES.
"""

import datetime
import io

from django.db import connection

BATCH_SIZE = 2000


def _copies(cursor) -> bool:
    # COPY needs PostgreSQL through psycopg2 (psycopg 3 spells it differently: VALUES then).
    return connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert")


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
        tail = f" ON CONFLICT ({', '.join(map(column, conflict))}) DO UPDATE SET {assignments}"
    with connection.cursor() as cursor:
        if _copies(cursor):
            _copy(cursor, table, columns, rows, upsert_tail=tail)
            return
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = rows_per_insert(len(fields))
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))}{tail}",
                           [value for row in chunk for value in row])


def _copy(cursor, table, columns, rows, *, upsert_tail):
    """COPY the rows in; for an upsert, into a bare temporary table first, then INSERT ... SELECT."""
    target = table
    if upsert_tail:
        target = connection.ops.quote_name("returns_incoming")
        cursor.execute(f"CREATE TEMPORARY TABLE {target} AS SELECT {columns} FROM {table} WITH NO DATA")
    data = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    cursor.cursor.copy_expert(f"COPY {target} ({columns}) FROM STDIN", io.StringIO(data))
    if upsert_tail:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target}{upsert_tail}")
        cursor.execute(f"DROP TABLE {target}")


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return (value.replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)
