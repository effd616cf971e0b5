"""Template filters for numbers and statuses: each is ``core.formats``, the one way they are written."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from bcf_dashboard.core import access, formats, periods

register = template.Library()

DASH = formats.DASH

register.filter("gbp", formats.gbp)
register.filter("pounds", formats.pounds)
register.filter("gbp_variance", formats.gbp_variance)
register.filter("pounds_variance", formats.pounds_variance)
register.filter("pct", formats.pct)
register.filter("pct_variance", formats.pct_variance)
register.filter("metric_figure", formats.metric_figure)
register.filter("metric_variance", formats.metric_variance)
register.filter("status_chip", formats.status_chip)
register.filter("check_chip", formats.check_chip)
register.filter("period_label", formats.period_label)
register.filter("month_code_label", formats.month_code_label)

# Python callers use core.formats directly; these names stay importable for them.
gbp, pounds, gbp_variance, pounds_variance = formats.gbp, formats.pounds, formats.gbp_variance, formats.pounds_variance
pct, pct_variance, metric_figure, metric_variance = (
    formats.pct,
    formats.pct_variance,
    formats.metric_figure,
    formats.metric_variance,
)
status_chip, check_chip, period_label = formats.status_chip, formats.check_chip, formats.period_label


@register.filter
def against_plan(performance):
    """``better than plan`` or ``worse than plan``, in the metric's own direction: a sign alone can mislead."""
    return formats.against_plan(performance.variance_ytd, performance.definition.better)


@register.filter
def metric_variance_of(performance):
    """A metric's variance to date in its unit, green when better than plan and red when worse."""
    definition = performance.definition
    return formats.metric_variance(performance.variance_ytd, definition.unit, definition.better)


@register.filter
def pct_variance_of(performance):
    """A metric's variance to date as a percent of plan, coloured in the metric's own direction."""
    return formats.pct_variance(performance.variance_pct, performance.definition.better)


@register.filter
def whole(value):
    """A count with thousands separators."""
    return formats.thousands(value) if value is not None else DASH


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
    return formats.change_figure(value, measure) or DASH


def may_upload(user, area=None) -> bool:
    """Whether ``user`` may upload figures for ``area`` (for any of their areas when there is none)."""
    if user is None or not user.is_authenticated:
        return False
    if area is not None:
        return access.can(user, area, access.EDIT)
    return access.areas_for(user, action=access.EDIT).exists()


@register.simple_tag(takes_context=True)
def upload_link(context, area=None):
    """A link to the area's upload page (or the page that asks which area) for those who may upload;
    plain words for anyone else, who would find the page answers 404. Cached pages pass ``may_upload``
    (and vary their key on it); other pages have it worked out from the request's user."""
    allowed = context.get("may_upload")
    if allowed is None:
        request = context.get("request")
        allowed = may_upload(getattr(request, "user", None), area)
    if not allowed:
        return "their Upload page"
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
