"""Template filters for numbers as a UK finance reader expects them.

Money as ``£1,234`` (formats.gbp), percentages to one decimal, months as ``Apr 2017``.
Negative variances carry a minus sign and the ``negative`` class; statuses always carry
their words, never colour alone.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html

from bcf_dashboard import access, formats, periods
from bcf_dashboard.audit import timeline
from metrics.performance import STATUS_LABEL

register = template.Library()

DASH = "–"


def _signed(text: str, value) -> str:
    """Minus sign and the ``negative`` class for a negative figure, a plus sign for a positive one."""
    if value < 0:
        return format_html('<span class="negative nowrap">{}</span>', text)
    if value > 0:
        return format_html('<span class="nowrap">+{}</span>', text)
    return text


@register.filter
def gbp(value):
    """``£1,234``; pence only where there are any."""
    return formats.gbp(value)


@register.filter
def pounds(value):
    """``£1,234``: whole pounds, for headlines and tables of many figures (exports keep the pence)."""
    return formats.gbp(value, pennies=False)


@register.filter
def gbp_variance(value):
    """A money difference: ``+£1,200.50``, or ``-£1,200.50`` marked negative."""
    if value is None:
        return DASH
    return _signed(formats.gbp(value), formats.pence(value))


@register.filter
def pounds_variance(value):
    """A money difference in whole pounds: ``+£1,201`` or ``-£1,201`` marked negative."""
    if value is None:
        return DASH
    rounded = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _signed(formats.gbp(rounded, pennies=False), rounded)


@register.filter
def pct(value):
    """``57.4%``: one decimal."""
    if value is None:
        return DASH
    return f"{Decimal(value):,.1f}%"


@register.filter
def pct_variance(value):
    if value is None:
        return DASH
    rounded = Decimal(value).quantize(Decimal("0.1"))
    return _signed(f"{rounded:,.1f}%", rounded)


@register.filter
def metric_figure(value, unit="count"):
    """A metric's number in its unit: counts whole where they are, rates to one decimal, percents with %."""
    if value is None:
        return DASH
    value = Decimal(value)
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "count" and value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


@register.filter
def metric_variance(value, unit="count"):
    if value is None:
        return DASH
    text = metric_figure(abs(Decimal(value)), unit)
    rounded = Decimal(value).quantize(Decimal("0.1"))
    return _signed(f"-{text}" if rounded < 0 else text, rounded)


@register.filter
def against_plan(performance):
    """``better than plan`` or ``worse than plan``, in the metric's own direction: a sign alone can mislead."""
    variance = performance.variance_ytd
    if variance is None or variance == 0:
        return "on plan" if variance == 0 else ""
    lower_is_better = performance.definition.better == "lower"
    return "better than plan" if (variance < 0) == lower_is_better else "worse than plan"


@register.filter
def whole(value):
    """A count with thousands separators."""
    return formats.thousands(value) if value is not None else DASH


@register.filter
def status_chip(status):
    return format_html('<span class="status status-{}">{}</span>', status, STATUS_LABEL.get(status, status))


@register.filter
def check_chip(passed):
    return format_html('<span class="status status-{}">{}</span>', "pass" if passed else "fail",
                       "Pass" if passed else "Fail")


@register.filter
def period_label(ref):
    """``Apr 2017`` for a month, ``Q1 2017/18`` for a quarter; a dash for none."""
    return ref.label if ref else DASH


@register.filter
def month_number_label(number, year):
    """Month ``number`` (1-12) of financial ``year`` as ``Apr 2017``."""
    if not number:
        return DASH
    return periods.month(int(year), int(number)).label


@register.filter
def year_label(year):
    return periods.year_label(int(year)) if year is not None else DASH


@register.filter
def change_figure(value, measure):
    """``{{ change.old_value|change_figure:change.measure }}``: £ and pence for money, else the number."""
    return timeline.change_figure(value, measure) or DASH


@register.simple_tag
def upload_link(area=None):
    """A link to the area's upload page, or to the page that asks which area."""
    url = reverse("upload", args=[area.code]) if area is not None else reverse("upload_start")
    return format_html('<a href="{}">the Upload page</a>', url)


@register.simple_tag
def area_abilities(user, area):
    """What this user may do in the area, for links that only some roles can follow."""
    roles = access.roles_in(user, area)
    return {
        "edit": bool(roles & access.ROLES_FOR_ACTION[access.EDIT]),
        "approve": bool(roles & access.ROLES_FOR_ACTION[access.APPROVE]),
        "audit": bool(roles & access.ROLES_FOR_ACTION[access.AUDIT]),
    }
