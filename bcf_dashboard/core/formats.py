"""How every number and status is written: one module for pages, charts, tables, exports and the PDF.

For people, money reads as UK finance teams expect: ``£1,234`` in whole pounds on dashboards and
in headlines, ``£1,234.56`` to the penny where figures are entered, recorded and exported. A
variance carries its sign and is classed ``better`` or ``worse`` by what it means (the figure's
better direction), never by its sign; a status always carries its words, never colour alone.
For machines (the summary JSON, exports), money is a string with two decimals and never a float,
and text that a spreadsheet would run as a formula is neutralised.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html

from bcf_dashboard.core import periods
from bcf_dashboard.core.fields import PENNY
from bcf_dashboard.core.statuses import NATIONAL_WORDING, STATUS_LABEL

DASH = "–"


# --- Money ----------------------------------------------------------------------------------


def pence(value: Decimal) -> Decimal:
    """Round money to the penny, halves away from zero as finance teams do."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def gbp(value, *, pennies: bool | None = None) -> str:
    """``£1,234`` for whole pounds, ``£1,234.56`` otherwise; negatives as ``-£12.00``; a dash for none."""
    if value is None:
        return DASH
    value = pence(value)
    show_pence = pennies if pennies is not None else value != value.to_integral_value()
    text = f"{abs(value):,.2f}" if show_pence else f"{abs(value):,.0f}"
    return f"-£{text}" if value < 0 else f"£{text}"


def pounds(value) -> str:
    """``£1,234``: whole pounds, for headlines and tables of many figures (exports keep the pence)."""
    return gbp(value, pennies=False)


def money_json(value) -> str | None:
    """Money in the summary JSON and exports: a string with exactly two decimals, never a float."""
    return None if value is None else f"{pence(value):.2f}"


def plain_number(value: Decimal, *, money=False) -> str:
    """A figure as a returns file writes it: ``1260.0000`` -> ``1260``, ``93.6000`` -> ``93.6``; money
    always with two decimals. No £, no separators."""
    if money:
        return format(Decimal(value).quantize(PENNY), "f")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


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
        return DASH
    return f"{Decimal(value):,.{places}f}"


def figure(value) -> str:
    """A number with thousands separators, two decimals only where it has a fraction."""
    value = Decimal(value)
    return thousands(value, 0 if value == value.to_integral_value() else 2)


def entered(value) -> str:
    """A figure as someone typed it: ``1,234.5``, no trailing zeros; a dash for none."""
    if value is None:
        return DASH
    text = f"{Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def change_figure(value, measure: str) -> str:
    """A recorded figure as the history writes it: money (spend, savings) in pounds and pence, any
    other number as entered; empty for none."""
    if value is None:
        return ""
    if measure.startswith(("spend:", "saving:")):
        return gbp(value)
    return entered(value)


# --- Variances and percents (HTML) ------------------------------------------------------------
# Colour says whether a difference is good or bad news, never its sign: fewer emergency admissions
# than planned is better (green), spend over plan or budget is worse (red). ``better`` is the
# direction in which a figure improves ("lower" or "higher"); None where a difference is neither
# good nor bad. The sign and a word stay beside the colour, so colour is never the only signal.

LOWER, HIGHER = "lower", "higher"


def verdict(value, better: str | None) -> str:
    """``better``, ``worse`` or ``""`` (no difference, or no direction) for a difference from plan."""
    if better not in (LOWER, HIGHER) or not value:
        return ""
    return "better" if (value < 0) == (better == LOWER) else "worse"


def _signed(text: str, value, *, better: str | None = None, words: tuple[str, str] | None = None) -> str:
    """The figure with its sign (``-`` is in ``text``, ``+`` added), classed ``better``/``worse`` by meaning;
    ``words`` (for a positive, a negative difference) written after it, e.g. over/under for money."""
    if not value:
        return text
    shown = text if value < 0 else f"+{text}"
    kind = verdict(value, better)
    word = (words[0] if value > 0 else words[1]) if words else ""
    if kind and not word:
        # Said for screen readers where no visible word does it.
        word_html = format_html('<span class="visually-hidden"> ({} than plan)</span>', kind)
    elif word:
        word_html = format_html(' <span class="variance-word">{}</span>', word)
    else:
        word_html = ""
    classes = f"{kind} nowrap" if kind else "nowrap"
    return format_html('<span class="{}">{}{}</span>', classes, shown, word_html)


SPEND_WORDS = ("over", "under")


def gbp_variance(value):
    """A money difference from plan or budget, to the penny: ``+£1,200.50 over`` (worse) or ``-£1,200.50 under``."""
    if value is None:
        return DASH
    return _signed(gbp(value), pence(value), better=LOWER, words=SPEND_WORDS)


def pounds_variance(value):
    """A money difference in whole pounds: ``+£1,201 over`` (worse) or ``-£1,201 under`` (better)."""
    if value is None:
        return DASH
    rounded = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _signed(gbp(rounded, pennies=False), rounded, better=LOWER, words=SPEND_WORDS)


def pct(value) -> str:
    """``57.4%``: one decimal."""
    if value is None:
        return DASH
    return f"{Decimal(value):,.1f}%"


def pct_variance(value, better: str | None = None):
    """A percent difference from plan, coloured by ``better`` (the metric's direction) where given."""
    if value is None:
        return DASH
    rounded = Decimal(value).quantize(Decimal("0.1"))
    return _signed(f"{rounded:,.1f}%", rounded, better=better)


# --- Metrics ----------------------------------------------------------------------------------


def metric_figure(value, unit="count") -> str:
    """A metric's number in its unit: counts whole where they are, rates to one decimal, percents with %."""
    if value is None:
        return DASH
    value = Decimal(value)
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "count" and value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def metric_variance(value, unit="count", better: str | None = None):
    """A metric's difference from plan in its unit, coloured by the metric's better direction."""
    if value is None:
        return DASH
    text = metric_figure(abs(Decimal(value)), unit)
    rounded = Decimal(value).quantize(Decimal("0.1"))
    return _signed(f"-{text}" if rounded < 0 else text, rounded, better=better)


def against_plan(variance, better: str) -> str:
    """``better than plan`` or ``worse than plan``, in the metric's own direction: a sign alone can mislead."""
    if variance is None:
        return ""
    if variance == 0:
        return "on plan"
    return "better than plan" if (variance < 0) == (better == "lower") else "worse than plan"


# --- Statuses, periods ----------------------------------------------------------------------


def status_label(status: str) -> str:
    return STATUS_LABEL.get(status, status)


def status_chip(status):
    return format_html('<span class="status status-{}">{}</span>', status, status_label(status))


def status_with_national(status):
    """The product's status, with the national returns' wording beside it where the two differ (at risk is
    "On track" in the returns): the same status as every other page, never replaced by the returns' word."""
    chip = status_chip(status)
    national = NATIONAL_WORDING.get(status)
    if national is None or national == status_label(status):
        return chip
    return format_html('{} <span class="national">(national return: {})</span>', chip, national)


def check_chip(passed):
    return format_html(
        '<span class="status status-{}">{}</span>', "pass" if passed else "fail", "Pass" if passed else "Fail"
    )


def period_label(ref) -> str:
    """``Apr 2017`` for a month, ``Q1 2017/18`` for a quarter; a dash for none."""
    return ref.label if ref else DASH


def month_code_label(code) -> str:
    """``2017-09`` as ``Sep 2017``; a dash for none."""
    return periods.parse_period(code).label if code else DASH


# --- Text in files -------------------------------------------------------------------------

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
