import datetime
import json

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from digests import pagecache
from digests.selectors import listing_version
from schemes.filters import filtered_schemes
from schemes.tables import PER_PAGE, SchemeTable, totals_for

from . import periods
from .access import load_area
from .area_dashboard import build_area_year
from .comparison import build_comparison, comparison_frame
from .forms import FIRST_YEAR, LAST_YEAR, ComparisonForm, OverviewFilterForm, status_param, year_param
from .overview import years_with_data
from .presenters import build_overview, overview_frame
from .summary import area_year_summary, summary_document
from .tables import ComparisonTable, OverviewTable

EXPORT_FORMATS = ("csv", "xlsx")


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers: 200 when the app can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"; the detail goes to the log
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


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
    frame = overview_frame(request.user, year=year_param(request.GET), region=region)

    def build():
        page = build_overview(request.user, status=status, frame=frame)
        table = OverviewTable(page.headlines, year=page.year, caption=f"Areas, {page.year_label or 'no data yet'}")
        RequestConfig(request, paginate={"per_page": AREAS_PER_PAGE}).configure(table)
        form = OverviewFilterForm(years=page.years, regions=page.regions, initial={
            "year": page.year, "region": region, "status": status})
        return {"page": page, "table": table, "form": form}

    key = pagecache.listing_key("home", listing_version(frame.areas, frame.year), frame.year, frame.years,
                                pagecache.query_string(request))
    return pagecache.render_cached_parts(request, "home.html", {"content": "_home_content.html"}, key=key,
                                         context={"year": frame.year}, names=("page", "table", "form"), build=build)


@require_GET
def compare(request):
    """One metric across the user's areas, ranked, each against its own plan.

    Cached like the overview: under the listed areas, their data versions, the metric and the query string.
    """
    region = request.GET.get("region", "")
    frame = comparison_frame(request.user, request.GET.get("metric") or "NEA", year=year_param(request.GET),
                             region=region)

    def build():
        page = build_comparison(request.user, frame.definition.code, region=region, frame=frame)
        table = ComparisonTable(page.rows, comparison=page)
        RequestConfig(request, paginate={"per_page": AREAS_PER_PAGE}).configure(table)  # the chart has them all
        form = ComparisonForm(metrics=page.choices, years=page.years, regions=page.regions, initial={
            "metric": page.definition.code, "year": page.year, "region": page.region})
        return {"page": page, "table": table, "form": form, "figure": page.figure()}

    d = frame.definition
    key = pagecache.listing_key(
        "compare", listing_version(frame.areas, frame.year), frame.year, frame.years, frame.regions,
        [(c.id, c.code, c.name) for c in frame.choices],
        (d.id, d.code, d.name, d.unit, d.better, d.population_band, d.per_population), pagecache.query_string(request))
    return pagecache.render_cached_parts(request, "compare.html", {"content": "_compare_content.html"}, key=key,
                                         context={"definition": d, "year": frame.year},
                                         names=("page", "table", "form", "figure"), build=build)


@require_GET
def area(request, area_code):
    """An area's latest year with data (this financial year when it has none yet)."""
    the_area = load_area(request.user, area_code)
    years = years_with_data([the_area])
    year = years[0] if years else periods.financial_year_of(datetime.date.today())
    return redirect("area_year", the_area.code, year)


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
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
        page = build_area_year(the_area, year)
        spend = page.summary.spend
        filterset, rows = filtered_schemes(the_area, spend, request.GET)
        table = SchemeTable(rows, area=the_area, year=year, totals=totals_for(spend, rows),
                            caption=f"Schemes, {page.year_label}")
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        return {"page": page, "summary": page.summary, "table": table, "filter": filterset}

    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        table = build()["table"]
        exporter = TableExport(export, table, dataset_kwargs={"title": f"Schemes {periods.year_label(year)}"[:31]})
        return exporter.response(f"schemes-{the_area.code}-{year}.{export}")
    return pagecache.render_cached_parts(
        request, "areas/area_year.html", {"content": "areas/_area_year_content.html"},
        key=pagecache.page_key("area_year", the_area, year, pagecache.query_string(request)),
        context={"area": the_area, "year": year}, names=("page", "summary", "table", "filter"), build=build)


@require_GET
def summary_json(request, area_code, year):
    """FORMATS.md section 2, for the areas the user may see (404 for any other, and for a year out of range)."""
    area = load_area(request.user, area_code)
    year = _checked_year(year)
    body = pagecache.cached(pagecache.page_key("summary_json", area, year), lambda: json.dumps(
        summary_document(area_year_summary(area, year)), cls=DjangoJSONEncoder, indent=2))
    return HttpResponse(body, content_type="application/json")
