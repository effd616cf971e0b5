"""Tables of the dashboards (django-tables2): the overview, the comparison and an area-year's schemes."""

import inspect
import re
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.utils import Accessor

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import gbp as pounds_and_pence
from bcf_dashboard.core.formats import (
    metric_figure,
    money_json,
    neutralise_formula,
    pct_variance,
    period_label,
    status_chip,
)
from bcf_dashboard.core.formats import pounds as gbp
from bcf_dashboard.core.formats import pounds_variance as gbp_variance
from bcf_dashboard.core.statuses import NO_DATA, STATUS_LABEL, STATUS_RANK

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
ALWAYS = ()  # render every cell, None included: the renderers say why a figure is missing


def muted(text: str):
    """A note in a cell in place of a figure (escaped like any text)."""
    return format_html('<span class="muted">{}</span>', text)


class QuickBody:
    """Body rows drawn by calling each column's ``render_<name>`` directly (``body_rows``).

    django-tables2 inspects every render method's signature again for every cell: for the
    overview's 153 areas × 9 columns that took about 200 ms of a 230 ms page. Here it is done
    once per column; the cells are the same (value from the accessor, the column's default
    for an empty value, the column's td attributes), and the headers stay django-tables2's.
    """

    def body_rows(self) -> list[str]:
        plan = []
        for i, column in enumerate(self.columns):
            render = getattr(self, f"render_{column.name}", None)
            wants = set(inspect.signature(render).parameters) if render else set()
            tag = 'th scope="row"' if i == 0 else "td"
            opening = mark_safe(f"{tag} {column.attrs['td'].as_html()}")  # nosec B308 B703  # as_html() escapes values
            plan.append((column, Accessor(column.accessor), render, wants, opening, "th" if i == 0 else "td"))
        rows = []
        for row in self.paginated_rows:
            record, cells = row.record, []
            for column, accessor, render, wants, opening, closing in plan:
                value = accessor.resolve(record, quiet=True)
                if value in column.column.empty_values:
                    html = column.default
                elif render is None:
                    html = value
                else:
                    html = render(**{k: v for k, v in (("record", record), ("value", value)) if k in wants})
                cells.append(f"<{opening}>{conditional_escape(html)}</{closing}>")
            # Joined without format_html for speed (thousands of cells on the overview).
            cells_html = mark_safe("".join(cells))  # nosec B308 B703  # each cell's content was conditional_escape()d
            rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), cells_html))
        return rows


class OverviewTable(QuickBody, tables.Table):
    area = tables.Column(accessor="area__name", verbose_name="Area")
    status = tables.Column(accessor="status", verbose_name="Overall", order_by=("status_rank", "area__name"))
    metrics = tables.Column(accessor="metrics", verbose_name="Metrics", orderable=False)
    budget = tables.Column(accessor="spend__budget", verbose_name="Budget", attrs=NUM, empty_values=ALWAYS)
    actual_ytd = tables.Column(
        accessor="spend__actual_ytd", verbose_name="Spend to date", attrs=NUM, empty_values=ALWAYS
    )
    variance_ytd = tables.Column(
        accessor="spend__variance_ytd", verbose_name="Spend vs plan", attrs=NUM, empty_values=ALWAYS
    )
    forecast_variance = tables.Column(
        accessor="spend__forecast_variance", verbose_name="Forecast vs budget", attrs=NUM, empty_values=ALWAYS
    )
    failing_checks = tables.Column(verbose_name="Failing checks", attrs=NUM, empty_values=ALWAYS)
    uncovered_cost = tables.Column(verbose_name="Risk not covered", attrs=NUM, empty_values=ALWAYS)
    heading = tables.Column(
        accessor="warnings",
        verbose_name="Year-end heading",
        empty_values=ALWAYS,
        order_by=("-warning_rank", "area__name"),
    )
    missing_returns = tables.Column(verbose_name="Returns missing", attrs=NUM, empty_values=ALWAYS)

    class Meta:
        template_name = "django_tables2/bcf_quick_table.html"
        attrs = {"class": "data-table overview-table"}
        empty_text = "No areas match these filters."
        order_by = ("area__name",)

    def __init__(self, data, *, year, caption="Areas", **kwargs):
        super().__init__(data, **kwargs)
        self.year, self.caption = year, caption

    def render_area(self, record):
        url = reverse("area_year", args=[record.area.code, self.year])
        return format_html(
            '<a href="{}">{}</a><span class="sub">{} · {}</span>',
            url,
            record.area.name,
            record.area.code,
            record.area.region or "no region",
        )

    def render_status(self, value):
        return status_chip(value)

    def render_metrics(self, record):
        if not record.metrics:
            return muted("No metrics in force")
        if all(m.status == NO_DATA for m in record.metrics):
            # One line instead of a chip per metric all saying the same thing.
            return format_html(
                '<span class="status status-no_data">{}</span> <span class="sub">for all {} metrics</span>',
                STATUS_LABEL[NO_DATA],
                len(record.metrics),
            )
        # The name people know (Emergency admissions), not the code: the full name is the title.
        return format_html(
            '<ul class="chips">{}</ul>',
            format_html_join(
                "",
                '<li><span class="status status-{}" title="{}"><span class="metric-name">{}:</span> {}</span></li>',
                ((m.status, m.name, m.label, STATUS_LABEL[m.status]) for m in record.metrics),
            ),
        )

    def _money_or_note(self, record, value, render):
        # The budget cell says why a row is empty; the cells after it only show a dash.
        if not record.has_schemes or value is None:
            return "–"
        return render(value)

    def render_budget(self, record, value):
        if not record.has_schemes:
            return muted("No schemes this year")
        return gbp(value)

    def render_actual_ytd(self, record, value):
        if record.has_schemes and value is None:
            return muted("No actuals yet")
        return self._money_or_note(
            record,
            value,
            lambda v: format_html('{}<span class="sub">to {}</span>', gbp(v), period_label(record.spend.as_of)),
        )

    def render_variance_ytd(self, record, value):
        return self._money_or_note(record, value, gbp_variance)

    def render_forecast_variance(self, record, value):
        return self._money_or_note(
            record,
            value,
            lambda v: format_html(
                '{}<span class="sub">of {}</span>', gbp_variance(v), gbp(record.spend.forecast_outturn)
            ),
        )

    def render_missing_returns(self, record, value):
        if not value:
            return "None" if record.summary.as_of else "–"
        h = record.summary
        url = reverse("area_year", args=[record.area.code, self.year]) + "#returns"
        parts = [f"{h.missing_scheme_months} scheme month{'s' if h.missing_scheme_months != 1 else ''}"]
        if h.missing_metric_months:
            parts.append(f"{h.missing_metric_months} metric month{'s' if h.missing_metric_months != 1 else ''}")
        return format_html(
            '<a href="{}" class="status status-missing">{} missing</a><span class="sub">{}</span>',
            url,
            value,
            " and ".join(parts),
        )

    def render_failing_checks(self, record, value):
        if not record.checks:
            return "–"
        if value:
            return format_html(
                '<span class="status status-fail">{} failing</span><span class="sub">of {}</span>', value, record.checks
            )
        return format_html('<span class="status status-pass">All {} pass</span>', record.checks)

    def render_heading(self, record):
        """The early warning: each metric whose projected year-end misses the plan, and since when."""
        if not record.warnings:
            return muted("On course for the plan" if record.has_projections else "Too early to project")
        return format_html(
            '<ul class="chips warnings">{}</ul>',
            format_html_join(
                "",
                '<li><span class="status status-{}" title="{}">&#9888; <span class="code">{}</span> {}</span>'
                '<span class="sub">projected {}{}</span></li>',
                (
                    (
                        m.projection_status,
                        m.name,
                        m.code,
                        STATUS_LABEL[m.projection_status],
                        metric_figure(m.projection_year_end, m.unit),
                        f", since {period_label(m.first_missed)}" if m.first_missed else "",
                    )
                    for m in record.warnings
                ),
            ),
        )

    def render_uncovered_cost(self, record, value):
        if not record.has_risk_share:
            return muted("No risk share")
        if value is None:
            return muted("No admissions data")
        return format_html(
            '{}<span class="sub">{} contingency left</span>', gbp(value), gbp(record.contingency_remaining)
        )


class ComparisonTable(QuickBody, tables.Table):
    rank = tables.Column(verbose_name="Rank", attrs=NUM, empty_values=ALWAYS)
    area = tables.Column(accessor="area__name", verbose_name="Area")
    as_of = tables.Column(verbose_name="Data to", orderable=False, empty_values=ALWAYS)
    actual = tables.Column(verbose_name="Actual to date", attrs=NUM, empty_values=ALWAYS)
    plan = tables.Column(verbose_name="Plan to date", attrs=NUM, empty_values=ALWAYS)
    plan_year = tables.Column(verbose_name="Plan for the year", attrs=NUM, empty_values=ALWAYS)
    variance_pct = tables.Column(verbose_name="Against plan", attrs=NUM, empty_values=ALWAYS)
    status = tables.Column(verbose_name="Status", orderable=False)

    class Meta:
        template_name = "django_tables2/bcf_quick_table.html"
        attrs = {"class": "data-table comparison-table"}
        empty_text = "None of your areas has this metric."
        orderable = False

    def __init__(self, data, *, comparison, **kwargs):
        super().__init__(data, **kwargs)
        self.comparison = comparison
        self.caption = f"{comparison.definition.name}, {comparison.year_label}: {comparison.basis}"

    def render_rank(self, value):
        return value if value is not None else "–"

    def render_area(self, record):
        url = reverse("metric", args=[record.area.code, self.comparison.definition.code])
        return format_html('<a href="{}?year={}">{}</a>', url, self.comparison.year, record.area.name)

    def render_as_of(self, value):
        return period_label(value)

    def _figure(self, value):
        return metric_figure(value, self.comparison.unit)

    def render_actual(self, value):
        return self._figure(value)

    def render_plan(self, value):
        return self._figure(value)

    def render_plan_year(self, value):
        return self._figure(value)

    def render_variance_pct(self, value):
        return pct_variance(value, self.comparison.definition.better)

    def render_status(self, value):
        return status_chip(value)


# --- The area-year scheme table: the engine's per-scheme figures, sortable, paginated, exportable ---

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


def ref_key(ref: str) -> tuple:
    """B2 before B10: refs sort as people number them."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.findall(r"\d+|\D+", ref))


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
        super().__init__([SchemeRow(s, unit_costs.get(s.scheme.id)) for s in data], **kwargs)
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
