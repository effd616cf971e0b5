"""The dashboards: thin views over the engine's figures, each cached after its access check.

Every view starts with ``load_area`` (another area answers 404) or lists only ``areas_for`` the
user. The only writes a view here makes are the explicit ``digests.services.up_to_date_*`` steps,
which store headlines and flags that an admin save or a loader left stale.
"""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import AUDIT, areas_for, can, load_area
from bcf_dashboard.core.limits import LAST_YEAR, year_in_range
from bcf_dashboard.core.tasks import tasks_for
from bcf_dashboard.core.templatetags.bcf import may_upload
from bcf_dashboard.dashboards.area_dashboard import build_area_year
from bcf_dashboard.dashboards.comparison import build_comparison, comparison_frame
from bcf_dashboard.dashboards.filters import filtered_schemes
from bcf_dashboard.dashboards.forms import ComparisonForm, OverviewFilterForm, status_param, year_param
from bcf_dashboard.dashboards.metric_page import build_metric_page
from bcf_dashboard.dashboards.overview import approvals_and_tasks, build_overview, overview_frame
from bcf_dashboard.dashboards.scheme_page import build_scheme_page
from bcf_dashboard.dashboards.scheme_table import PER_PAGE, SchemeTable, totals_for
from bcf_dashboard.dashboards.tables import ComparisonTable, OverviewTable
from bcf_dashboard.digests import pagecache
from bcf_dashboard.digests import services as digest_services
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.digests.selectors import latest_year_with_actuals, listing_version, years_with_data
from bcf_dashboard.engine import returns_file as returns_files
from bcf_dashboard.engine.document import summary_json as summary_json_text

EXPORT_FORMATS = ("csv", "xlsx")
# A third of England's areas a page: each row is three lines of chips and figures. Sorting runs
# over every page, and the tiles above the table total every area listed.
AREAS_PER_PAGE = 50


@require_GET
def home(request):
    """Every area the user may see, each with its headline for the chosen year.

    The content is cached under the listed areas, their data versions and the query string: a
    commissioner and staff who see the same areas share it; anyone who sees others gets another key.
    """
    region, status = request.GET.get("region", ""), status_param(request.GET)
    flags = digest_services.up_to_date_flags(areas_for(request.user))
    frame = overview_frame(request.user, flags=flags, year=year_param(request.GET), region=region)

    def build():
        headlines = digest_services.up_to_date_headlines(frame.chosen, frame.year) if frame.year else {}
        page = build_overview(frame=frame, headlines=headlines, status=status)
        table = OverviewTable(page.headlines, year=page.year, caption=f"Areas, {page.year_label or 'no data yet'}")
        RequestConfig(request, paginate={"per_page": AREAS_PER_PAGE}).configure(table)
        form = OverviewFilterForm(
            years=page.years, regions=page.regions, initial={"year": page.year, "region": region, "status": status}
        )
        return {"page": page, "table": table, "form": form}

    uploads = may_upload(request.user)  # empty states link the Upload page only for those who may use it
    key = pagecache.listing_key(
        "home",
        listing_version(frame.areas, frame.year),
        frame.year,
        frame.years,
        pagecache.query_string(request),
        uploads,
    )
    awaiting, tasks = approvals_and_tasks(request.user, tasks_for(request.user))
    return pagecache.render_cached_parts(
        request,
        "home.html",
        {"content": "_home_content.html"},
        key=key,
        context={"year": frame.year, "may_upload": uploads},
        names=("page", "table", "form"),
        build=build,
        layout_context={"awaiting": awaiting, "tasks": tasks},
    )


@require_GET
def compare(request):
    """One metric across the user's areas, ranked, each against its own plan.

    Cached like the overview: under the listed areas, their data versions, the metric and the query string.
    """
    region = request.GET.get("region", "")
    flags = digest_services.up_to_date_flags(areas_for(request.user))
    frame = comparison_frame(
        request.user, request.GET.get("metric") or "NEA", flags=flags, year=year_param(request.GET), region=region
    )

    def build():
        headlines = digest_services.up_to_date_headlines(frame.areas, frame.year) if frame.year else {}
        page = build_comparison(frame=frame, headlines=headlines, region=region)
        table = ComparisonTable(page.rows, comparison=page)
        RequestConfig(request, paginate={"per_page": AREAS_PER_PAGE}).configure(table)  # the chart has them all
        form = ComparisonForm(
            metrics=page.choices,
            years=page.years,
            regions=page.regions,
            initial={"metric": page.definition.code, "year": page.year, "region": page.region},
        )
        return {"page": page, "table": table, "form": form, "figure": page.figure()}

    d = frame.definition
    uploads = may_upload(request.user)
    key = pagecache.listing_key(
        "compare",
        listing_version(frame.areas, frame.year),
        frame.year,
        frame.years,
        frame.regions,
        [(c.id, c.code, c.name) for c in frame.choices],
        (d.id, d.code, d.name, d.unit, d.better, d.population_band, d.per_population),
        pagecache.query_string(request),
        uploads,
    )
    return pagecache.render_cached_parts(
        request,
        "compare.html",
        {"content": "_compare_content.html"},
        key=key,
        context={"definition": d, "year": frame.year, "may_upload": uploads},
        names=("page", "table", "form", "figure"),
        build=build,
    )


@require_GET
def area(request, area_code):
    """An area's latest year with actuals; else its latest year with any data (plans only: the page says
    so); else this financial year. Never an empty future year while a year with actuals exists."""
    the_area = load_area(request.user, area_code)
    flags = digest_services.up_to_date_flags([the_area])
    with_actuals = latest_year_with_actuals(flags, LAST_YEAR + 1)
    years = years_with_data(flags)
    year = with_actuals or (years[0] if years else periods.financial_year_of(datetime.date.today()))
    return redirect("area_year", the_area.code, year)


def _checked_year(year: int) -> int:
    if not year_in_range(year):
        raise Http404("No such financial year")
    return year


@require_GET
def area_year(request, area_code, year):
    """The area-year dashboard: metrics, spend, schemes, funding and risk share.

    The page's content is cached per area, data version and query string (after the access check).
    """
    the_area = load_area(request.user, area_code)
    _checked_year(year)

    def build():
        years = years_with_data(digest_services.up_to_date_flags([the_area]))
        page = build_area_year(the_area, year, years_with_data=years)
        spend = page.summary.spend
        filterset, rows = filtered_schemes(the_area, spend, request.GET)
        table = SchemeTable(
            rows,
            area=the_area,
            year=year,
            totals=totals_for(spend, rows),
            caption=f"Schemes, {page.year_label}",
            unit_costs=page.summary.unit_costs,
        )
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        return {"page": page, "summary": page.summary, "table": table, "filter": filterset}

    uploads = may_upload(request.user, the_area)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        table = build()["table"]
        exporter = TableExport(export, table, dataset_kwargs={"title": f"Schemes {periods.year_label(year)}"[:31]})
        return exporter.response(f"schemes-{the_area.code}-{year}.{export}")
    return pagecache.render_cached_parts(
        request,
        "areas/area_year.html",
        {"content": "areas/_area_year_content.html"},
        key=pagecache.page_key("area_year", the_area, year, pagecache.query_string(request), uploads),
        context={"area": the_area, "year": year, "may_upload": uploads},
        names=("page", "summary", "table", "filter"),
        build=build,
    )


@require_GET
def summary_json(request, area_code, year):
    """docs/formats.md section 2, for the areas the user may see (404 for any other, and for a year out of range)."""
    area = load_area(request.user, area_code)
    year = _checked_year(year)
    body = pagecache.cached(
        pagecache.page_key("summary_json", area, year), lambda: summary_json_text(area_year_summary(area, year))
    )
    return HttpResponse(body, content_type="application/json")


@require_GET
def scheme(request, area_code, ref):
    """A scheme's year (``?year=``, default its latest budget year): fields, months and, for those who
    may read the change history (everyone but HWB members), its latest changes."""
    area = load_area(request.user, area_code)
    show_history = can(request.user, area, AUDIT)
    uploads = may_upload(request.user, area)
    year = year_param(request.GET)

    def build():
        page = build_scheme_page(area, ref, year, with_history=show_history)
        return {"page": page, "scheme": page.scheme}

    # Cached after the access check, per area, data version, scheme, year and whether history shows.
    return pagecache.render_cached_parts(
        request,
        "schemes/scheme.html",
        {
            "title": "schemes/_scheme_title.html",
            "breadcrumbs": "schemes/_scheme_breadcrumbs.html",
            "content": "schemes/_scheme_content.html",
        },
        key=pagecache.page_key("scheme", area, ref, year, show_history, uploads),
        context={"area": area, "show_history": show_history, "may_upload": uploads},
        names=("page", "scheme"),
        build=build,
    )


@require_GET
def metric(request, area_code, metric_code):
    """A metric for an area over every year it has figures, with its definition in words.

    Cached after the access check, per area, data version (which a change to a definition moves
    too), metric and chosen year.
    """
    area = load_area(request.user, area_code)
    year = year_param(request.GET)
    uploads = may_upload(request.user, area)

    def build():
        page = build_metric_page(area, metric_code, year=year)
        return {"page": page, "definition": page.definition}

    return pagecache.render_cached_parts(
        request,
        "metrics/metric.html",
        {
            "title": "metrics/_metric_title.html",
            "breadcrumbs": "metrics/_metric_breadcrumbs.html",
            "content": "metrics/_metric_content.html",
        },
        key=pagecache.page_key("metric", area, metric_code, year, uploads),
        context={"area": area, "may_upload": uploads},
        names=("page", "definition"),
        build=build,
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def returns_file(request, area_code, year, file_format):
    """The area-year's stored values as a monthly returns file (CSV or XLSX), exactly as
    ``manage.py export_returns`` writes it: imported again, it changes nothing. For anyone who may
    read the area's dashboard; money to the penny, as numbers a spreadsheet can add up."""
    area = load_area(request.user, area_code)
    _checked_year(year)
    rows = returns_files.export_rows(area=area, financial_year=year)
    if file_format == "xlsx":
        response = HttpResponse(returns_files.write_xlsx(rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(returns_files.write_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="returns-{area.code}-{year}.{file_format}"'
    return response
