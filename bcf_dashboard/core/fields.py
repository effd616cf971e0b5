"""Exact numbers for money.

SQLite's SUM over a decimal column is a float, so money is stored as whole pence
in a BIGINT column: SUM over integers is exact on SQLite and PostgreSQL alike.
Python code sees ``Decimal`` pounds with two places.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core import exceptions
from django.db import connections, models

PENNY = Decimal("0.01")


def to_hundredths(value) -> int:
    """Pounds (or any two-decimal number) to an integer count of hundredths."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise exceptions.ValidationError(f"'{value}' is not a number") from exc
    scaled = number * 100
    if scaled != scaled.to_integral_value():
        raise exceptions.ValidationError(f"'{value}' has more than two decimal places")
    return int(scaled)


def from_hundredths(number: int | None) -> Decimal | None:
    """Integer hundredths to a two-place Decimal (100 -> 1.00); exact, as a scale shift."""
    return None if number is None else Decimal(number).scaleb(-2)


def stored_hundredths(name: str):
    """A hundredths column read as its stored integer, for reads of many thousands of values:
    Django's per-value converter costs more than the database's read (use ``from_hundredths``)."""
    return models.ExpressionWrapper(models.F(name), output_field=models.BigIntegerField())


def plain_rows(queryset) -> list[tuple]:
    """A ``values_list`` queryset's rows as the database driver gives them, without Django's
    per-value converters, which cost more than the read at many thousands of rows. Only for
    integer and text columns (SQLite gives dates as text); a hundredths column comes back as its
    stored integer (``from_hundredths``). The queryset's database, and so the replica router, is kept."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class HundredthsField(models.BigIntegerField):
    """A number with at most two decimals, held as integer hundredths."""

    description = "A two-decimal number stored as integer hundredths"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return from_hundredths(value)

    def to_python(self, value):
        if value is None or value == "":
            return None
        return Decimal(to_hundredths(value)) / 100

    def get_prep_value(self, value):
        if value is None:
            return None
        if hasattr(value, "resolve_expression"):
            return value
        return to_hundredths(value)

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.DecimalField, "decimal_places": 2, "max_digits": 15}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


class MoneyField(HundredthsField):
    """Pounds and pence."""

    description = "An amount in pounds, stored as integer pence"
