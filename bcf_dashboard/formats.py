"""How numbers are written: for people (UK finance style) and in the summary JSON."""

from decimal import ROUND_HALF_UP, Decimal

from .fields import PENNY


def pence(value: Decimal) -> Decimal:
    """Round money to the penny, halves away from zero as finance teams do."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def gbp(value, *, pennies: bool | None = None) -> str:
    """``£1,234`` for whole pounds, ``£1,234.56`` otherwise; negatives as ``-£12.00``."""
    if value is None:
        return "–"
    value = pence(value)
    show_pence = pennies if pennies is not None else value != value.to_integral_value()
    text = f"{abs(value):,.2f}" if show_pence else f"{abs(value):,.0f}"
    return f"-£{text}" if value < 0 else f"£{text}"


def money_json(value) -> str | None:
    """Money in the summary JSON: a string with exactly two decimals, never a float."""
    return None if value is None else f"{pence(value):.2f}"


def number_json(value, *, integer: bool = False):
    """Counts as integers where whole; rates and percents rounded to two decimals."""
    if value is None:
        return None
    value = Decimal(value)
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if integer and rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def thousands(value, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{Decimal(value):,.{places}f}"
