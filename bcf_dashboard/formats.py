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


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Text as written to a CSV or XLSX cell: a leading apostrophe stops a spreadsheet running it as a formula.

    Every text cell of every export goes through here (numbers never do: -2 stays a number). Text
    already starting with apostrophes before a formula character gets one more, so that
    ``restore_formula`` gives every text back exactly.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def restore_formula(text: str) -> str:
    """Undo ``neutralise_formula``: one apostrophe, and only where a formula character follows."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text
