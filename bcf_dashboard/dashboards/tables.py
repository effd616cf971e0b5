"""Tables of the dashboards (django-tables2): the overview, the comparison and an area-year's schemes."""

import inspect

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.data import TableListData
from django_tables2.utils import Accessor, OrderBy

from bcf_dashboard.core.formats import (
    metric_figure,
    pct_variance,
    period_label,
    status_chip,
)
from bcf_dashboard.core.formats import pounds as gbp
from bcf_dashboard.core.formats import pounds_variance as gbp_variance
from bcf_dashboard.core.statuses import NO_DATA, STATUS_LABEL

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
ALWAYS = ()  # render every cell, None included: the renderers say why a figure is missing


def muted(text: str):
    """A note in a cell in place of a figure (escaped like any text)."""
    return format_html('<span class="muted">{}</span>', text)


class QuickListData(TableListData):
    """A list of rows sorted by plain keys where it can be: django-tables2 sorts a list through a
    comparator that looks each accessor up again on both rows of every comparison, 8 ms for a
    400-scheme area's table. Where every row has a value of one type for each plain attribute
    ordered by, stable sorts from the least significant key to the most give the same order (the
    comparator, too, keeps rows that compare equal in their order); otherwise django-tables2 sorts."""

    def order_by(self, aliases):
        keys = []
        for alias in aliases:
            column = self.table.columns[OrderBy(alias).bare]
            found = column.order_by if alias[0] == column.order_by_alias[0] else column.order_by.opposite
            keys += [(order.bare, order.is_descending) for order in found]
        columns = []
        for name, descending in keys:
            if "__" in name or "." in name:
                return super().order_by(aliases)
            values = [getattr(row, name, None) for row in self.data]
            if None in values or len({type(v) for v in values}) > 1 or callable(values[0] if values else None):
                return super().order_by(aliases)
            columns.append((values, descending))
        order = list(range(len(self.data)))
        for values, descending in reversed(columns):
            order.sort(key=values.__getitem__, reverse=descending)
        self.data[:] = [self.data[i] for i in order]


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
                '<li><span class="status status-{}" title="{}">&#9888; {}: {}</span>'
                '<span class="sub">projected {}{}</span></li>',
                (
                    (
                        m.projection_status,
                        m.name,
                        m.label,
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
