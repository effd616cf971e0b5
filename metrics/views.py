from django.shortcuts import render
from django.views.decorators.http import require_GET

from bcf_dashboard.access import load_area
from bcf_dashboard.forms import year_param

from .metric_page import build_metric_page


@require_GET
def metric(request, area_code, metric_code):
    """A metric for an area over every year it has figures, with its definition in words."""
    area = load_area(request.user, area_code)
    page = build_metric_page(area, metric_code, year=year_param(request.GET))
    return render(request, "metrics/metric.html", {"page": page, "area": area, "definition": page.definition})
