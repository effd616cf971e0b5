"""Filters for the quarterly summary, which reads the summary JSON (dicts) rather than the engine's objects."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from bcf_dashboard.core import formats

register = template.Library()

CSS_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:()/-'")


@register.filter
def status_with_national(status):
    """The status in the product's words, as on every page, with the national returns' wording beside it."""
    return formats.status_with_national(status)


@register.filter
def against_plan_of(metric: dict):
    """``better than plan`` or ``worse than plan`` in the metric's own direction, from the JSON figures."""
    variance = metric.get("variance_ytd")
    if variance is None:
        return ""
    if variance == 0:
        return "on plan"
    return "better than plan" if (variance < 0) == (metric.get("better") == "lower") else "worse than plan"


@register.filter
def variance_of(block):
    """A metric block's variance with its sign, marked ``worse`` or ``better`` in the metric's own direction:
    fewer emergency admissions than planned is good news, and must not be printed in red."""
    metric, text = block.metric, block.shown.get("variance_ytd")
    variance = metric.get("variance_ytd")
    if variance is None or text is None:
        return "–"
    sign = "-" if variance < 0 else "+" if variance > 0 else ""
    kind = formats.verdict(variance, metric.get("better"))
    return format_html('<span class="nowrap{}">{}{}</span>', f" {kind}" if kind else "", sign, text)


register.filter("month_code_label", formats.month_code_label)


@register.filter
def budget_word(variance):
    """A forecast's difference from budget in words: a sign alone can be misread."""
    if variance is None:
        return ""
    value = Decimal(variance)
    return "over budget" if value > 0 else "under budget" if value < 0 else "on budget"


@register.filter
def met(passed):
    return format_html(
        '<span class="status status-{}">{}</span>', "pass" if passed else "fail", "Met" if passed else "Not met"
    )


@register.filter
def css_string(value):
    """``value`` as a quoted CSS string for the print margins: anything but plain letters escaped,
    so no text (an area's name, an approver's) can close the string or the style element."""
    # An escape's six hex digits swallow one following space, so each carries its own.
    escaped = "".join(ch if ch in CSS_PLAIN else f"\\{ord(ch):06x} " for ch in str(value))
    return mark_safe(f'"{escaped}"')  # nosec B308 B703  # every character but CSS_PLAIN is escaped
