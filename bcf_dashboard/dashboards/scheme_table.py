"""The area-year's scheme table: the engine's per-scheme figures, sortable, paginated, exportable."""

import functools
import re
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import gbp as pounds_and_pence
from bcf_dashboard.core.formats import (
    metric_figure,
    money_json,
    neutralise_formula,
    period_label,
    status_chip,
)
from bcf_dashboard.core.formats import pounds as gbp
from bcf_dashboard.core.formats import pounds_variance as gbp_variance
from bcf_dashboard.core.statuses import STATUS_LABEL, STATUS_RANK
from bcf_dashboard.dashboards.tables import ALWAYS, NUM, QuickBody, QuickListData

NUM_WITH_FOOTER = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


PER_PAGE = 25


class SchemeRow:
    """A ``SchemeSpend`` with what sorting needs; every other attribute is the engine's."""

    def __init__(self, scheme_spend, costs=None):
        self.spend = scheme_spend
        self.costs = costs  # ``schemes.unit_costs.UnitCosts`` for a scheme with an activity plan, else None
        # Worked out once: sorting a hundred rows compares them over eight hundred times.
        self.status_rank = STATUS_RANK[scheme_spend.status]
        self.ref_key = ref_key(scheme_spend.scheme.ref)
        # Schemes without the figure sort after those with it, whichever way.
        self.cost_plan_key = _missing_last(costs.cost_per_unit_plan if costs else None)
        self.cost_actual_key = _missing_last(costs.cost_per_unit_actual if costs else None)
        self.savings_key = _missing_last(costs.savings_realised_ytd if costs else None)
        self.activity_key = _missing_last(costs.activity_actual_ytd if costs else None)

    def __getattr__(self, name):
        return getattr(self.spend, name)


def _missing_last(value) -> tuple:
    return (1, 0) if value is None else (0, value)


REF_PARTS = re.compile(r"\d+|\D+")


@functools.lru_cache(maxsize=8192)
def ref_key(ref: str) -> tuple:
    """B2 before B10: refs sort as people number them. Remembered: a big area's table asks for each of
    its refs on every cold view, and a ref's key never changes."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in REF_PARTS.findall(ref))


def _money(value):
    return money_json(value) if value is not None else ""


class SchemeTable(QuickBody, tables.Table):
    ref = tables.Column(accessor="scheme__ref", verbose_name="Ref", order_by=("ref_key",))
    name = tables.Column(accessor="scheme__name", verbose_name="Scheme")
    scheme_type = tables.Column(accessor="scheme__get_scheme_type_display", verbose_name="Type")
    budget = tables.Column(verbose_name="Budget", attrs=NUM_WITH_FOOTER)
    plan_ytd = tables.Column(verbose_name="Plan to date", attrs=NUM_WITH_FOOTER, empty_values=())
    actual_ytd = tables.Column(verbose_name="Actual to date", attrs=NUM_WITH_FOOTER, empty_values=())
    variance_ytd = tables.Column(verbose_name="Variance", attrs=NUM_WITH_FOOTER, empty_values=())
    forecast_outturn = tables.Column(verbose_name="Forecast outturn", attrs=NUM_WITH_FOOTER)
    status = tables.Column(verbose_name="Status", order_by=("status_rank", "ref_key"))
    # What each pound buys, for schemes with an activity plan (left out when none has one).
    activity = tables.Column(
        accessor="costs",
        verbose_name="Activity to date",
        attrs=NUM,
        empty_values=ALWAYS,
        order_by=("activity_key", "ref_key"),
    )
    cost_per_unit_plan = tables.Column(
        accessor="costs",
        verbose_name="Planned cost per unit",
        attrs=NUM,
        empty_values=ALWAYS,
        order_by=("cost_plan_key", "ref_key"),
    )
    cost_per_unit_actual = tables.Column(
        accessor="costs",
        verbose_name="Actual cost per unit",
        attrs=NUM,
        empty_values=ALWAYS,
        order_by=("cost_actual_key", "ref_key"),
    )
    savings_realised = tables.Column(
        accessor="costs",
        verbose_name="Savings realised",
        attrs=NUM,
        empty_values=ALWAYS,
        order_by=("savings_key", "ref_key"),
    )

    class Meta:
        template_name = "django_tables2/bcf_quick_table.html"
        attrs = {"class": "data-table schemes-table"}
        empty_text = "No schemes match these filters."
        order_by = ("ref",)

    def __init__(self, data, *, area, year, totals, caption="Schemes", unit_costs=None, **kwargs):
        unit_costs = unit_costs or {}
        if not unit_costs:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), *UNIT_COST_COLUMNS)
        super().__init__(QuickListData([SchemeRow(s, unit_costs.get(s.scheme.id)) for s in data]), **kwargs)
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

    def render_actual_ytd(self, record, value):
        # Each scheme is compared over its own months: say which, and what is missing, in words.
        if value is None:
            if record.missing_months:
                return format_html(
                    '<span class="muted">Not reported</span><span class="sub">{} month{} missing</span>',
                    len(record.missing_months),
                    "s" if len(record.missing_months) != 1 else "",
                )
            return gbp(value)
        missing = len(record.missing_months)
        to = period_label(periods.month(record.scheme_year.financial_year, record.as_of))
        if missing:
            return format_html(
                '{}<span class="sub">to {}; {} month{} missing</span>',
                gbp(value),
                to,
                missing,
                "s" if missing != 1 else "",
            )
        return format_html('{}<span class="sub">to {}</span>', gbp(value), to)

    def render_variance_ytd(self, record):
        return gbp_variance(record.variance_ytd)

    def render_forecast_outturn(self, record):
        if record.has_override:
            return format_html(
                '{} <span class="tag" title="{}">set by officer</span>',
                gbp(record.forecast_outturn),
                record.scheme_year.forecast_reason,
            )
        return gbp(record.forecast_outturn)

    def render_status(self, value):
        return status_chip(value)

    def render_activity(self, record):
        c = record.costs
        if c is None:
            return "–"
        if c.activity_plan_ytd is None:
            return "–"
        return format_html(
            '{}<span class="sub">of {} planned</span>',
            metric_figure(c.activity_actual_ytd),
            metric_figure(c.activity_plan_ytd),
        )

    def render_cost_per_unit_plan(self, record):
        return "–" if record.costs is None else pounds_and_pence(record.costs.cost_per_unit_plan, pennies=True)

    def render_cost_per_unit_actual(self, record):
        return "–" if record.costs is None else pounds_and_pence(record.costs.cost_per_unit_actual, pennies=True)

    def render_savings_realised(self, record):
        c = record.costs
        if c is None or c.savings_realised_ytd is None:
            return "–"
        return format_html(
            '{}<span class="sub">of {} planned</span>', gbp(c.savings_realised_ytd), gbp(c.savings_plan_ytd)
        )

    def value_activity(self, record):
        c = record.costs
        return "" if c is None or c.activity_actual_ytd is None else str(c.activity_actual_ytd)

    def value_cost_per_unit_plan(self, record):
        return "" if record.costs is None else _money(record.costs.cost_per_unit_plan)

    def value_cost_per_unit_actual(self, record):
        return "" if record.costs is None else _money(record.costs.cost_per_unit_actual)

    def value_savings_realised(self, record):
        return "" if record.costs is None else _money(record.costs.savings_realised_ytd)

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


UNIT_COST_COLUMNS = ("activity", "cost_per_unit_plan", "cost_per_unit_actual", "savings_realised")


def totals_for(spend, rows) -> dict:
    """The engine's totals for the whole table; a filtered table adds up only the rows it shows."""
    if len(rows) == len(spend.schemes):
        return {
            "budget": spend.budget,
            "plan_ytd": spend.plan_ytd,
            "actual_ytd": spend.actual_ytd,
            "variance_ytd": spend.variance_ytd,
            "forecast_outturn": spend.forecast_outturn,
        }

    def total(name):
        values = [getattr(s, name) for s in rows]
        return None if all(v is None for v in values) else sum(v for v in values if v is not None)

    return {name: total(name) for name in ("budget", "plan_ytd", "actual_ytd", "variance_ytd", "forecast_outturn")}
