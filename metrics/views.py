from django.views.decorators.http import require_GET

from bcf_dashboard.access import load_area
from bcf_dashboard.forms import year_param
from digests import pagecache

from .metric_page import build_metric_page


@require_GET
def metric(request, area_code, metric_code):
    """A metric for an area over every year it has figures, with its definition in words.

    Cached after the access check, per area, data version (which a change to a definition moves
    too), metric and chosen year.
    """
    area = load_area(request.user, area_code)
    year = year_param(request.GET)

    def build():
        page = build_metric_page(area, metric_code, year=year)
        return {"page": page, "definition": page.definition}

    return pagecache.render_cached_parts(
        request, "metrics/metric.html", {"title": "metrics/_metric_title.html",
                                         "breadcrumbs": "metrics/_metric_breadcrumbs.html",
                                         "content": "metrics/_metric_content.html"},
        key=pagecache.page_key("metric", area, metric_code, year),
        context={"area": area}, names=("page", "definition"), build=build)
