"""The area-year scheme table: the engine's per-scheme figures, sortable, paginated, exportable."""

import re
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from bcf_dashboard.formats import money_json, neutralise_formula
from bcf_dashboard.presenters import STATUS_RANK
from bcf_dashboard.tables import QuickBody
from bcf_dashboard.templatetags.bcf import pounds as gbp
from bcf_dashboard.templatetags.bcf import pounds_variance as gbp_variance
from bcf_dashboard.templatetags.bcf import status_chip
from metrics.performance import STATUS_LABEL

NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}
PER_PAGE = 25


class SchemeRow:
    """A ``SchemeSpend`` with what sorting needs; every other attribute is the engine's."""

    def __init__(self, scheme_spend):
        self.spend = scheme_spend
        # Worked out once: sorting a hundred rows compares them over eight hundred times.
        self.status_rank = STATUS_RANK[scheme_spend.status]
        self.ref_key = ref_key(scheme_spend.scheme.ref)

    def __getattr__(self, name):
        return getattr(self.spend, name)


def ref_key(ref: str) -> tuple:
    """B2 before B10: refs sort as people number them."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.findall(r"\d+|\D+", ref))


def _money(value):
    return money_json(value) if value is not None else ""


class SchemeTable(QuickBody, tables.Table):
    ref = tables.Column(accessor="scheme__ref", verbose_name="Ref", order_by=("ref_key",))
    name = tables.Column(accessor="scheme__name", verbose_name="Scheme")
    scheme_type = tables.Column(accessor="scheme__get_scheme_type_display", verbose_name="Type")
    budget = tables.Column(verbose_name="Budget", attrs=NUM)
    plan_ytd = tables.Column(verbose_name="Plan to date", attrs=NUM, empty_values=())
    actual_ytd = tables.Column(verbose_name="Actual to date", attrs=NUM, empty_values=())
    variance_ytd = tables.Column(verbose_name="Variance", attrs=NUM, empty_values=())
    forecast_outturn = tables.Column(verbose_name="Forecast outturn", attrs=NUM)
    status = tables.Column(verbose_name="Status", order_by=("status_rank", "ref_key"))

    class Meta:
        template_name = "django_tables2/bcf_quick_table.html"
        attrs = {"class": "data-table schemes-table"}
        empty_text = "No schemes match these filters."
        order_by = ("ref",)

    def __init__(self, data, *, area, year, totals, caption="Schemes", **kwargs):
        super().__init__([SchemeRow(s) for s in data], **kwargs)
        self.area, self.year, self.totals, self.caption = area, year, totals, caption
        for name in ("budget", "plan_ytd", "actual_ytd", "variance_ytd", "forecast_outturn"):
            self.columns[name].column.footer = self._footer(name)
        self.columns["ref"].column.footer = "Total"

    def _footer(self, name):
        value = self.totals.get(name)
        return gbp_variance(value) if name == "variance_ytd" else gbp(value)

    def render_ref(self, record):
        url = reverse("scheme", args=[self.area.code, record.scheme.ref])
        return format_html('<a href="{}?{}">{}</a>', url, urlencode({"year": self.year}), record.scheme.ref)

    def render_budget(self, value):
        return gbp(value)

    def render_plan_ytd(self, value):
        return gbp(value)

    def render_actual_ytd(self, value):
        return gbp(value)

    def render_variance_ytd(self, record):
        return gbp_variance(record.variance_ytd)

    def render_forecast_outturn(self, record):
        if record.has_override:
            return format_html('{} <span class="tag" title="{}">set by officer</span>', gbp(record.forecast_outturn),
                               record.scheme_year.forecast_reason)
        return gbp(record.forecast_outturn)

    def render_status(self, value):
        return status_chip(value)

    # Exports carry plain numbers (two decimals, no £) so spreadsheets can add them up, and text a
    # spreadsheet cannot run as a formula.
    def value_ref(self, record):
        return neutralise_formula(record.scheme.ref)

    def value_name(self, record):
        return neutralise_formula(record.scheme.name)

    def value_budget(self, value):
        return _money(value)

    def value_plan_ytd(self, value):
        return _money(value)

    def value_actual_ytd(self, value):
        return _money(value)

    def value_variance_ytd(self, record):
        return _money(record.variance_ytd)

    def value_forecast_outturn(self, record):
        return _money(record.forecast_outturn)

    def value_status(self, value):
        return STATUS_LABEL[value]


def totals_for(spend, rows) -> dict:
    """The engine's totals for the whole table; a filtered table adds up only the rows it shows."""
    if len(rows) == len(spend.schemes):
        return {"budget": spend.budget, "plan_ytd": spend.plan_ytd, "actual_ytd": spend.actual_ytd,
                "variance_ytd": spend.variance_ytd, "forecast_outturn": spend.forecast_outturn}

    def total(name):
        values = [getattr(s, name) for s in rows]
        return None if all(v is None for v in values) else sum(v for v in values if v is not None)

    return {name: total(name) for name in ("budget", "plan_ytd", "actual_ytd", "variance_ytd", "forecast_outturn")}
