from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import areas_for, load_area
from .summary import area_year_summary, summary_document


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


def home(request):
    areas = areas_for(request.user).order_by("name")
    return render(request, "home.html", {"areas": areas})


@require_GET
def summary_json(request, area_code, year):
    """FORMATS.md section 2, for the areas the user may see (404 for any other)."""
    area = load_area(request.user, area_code)
    document = summary_document(area_year_summary(area, year))
    return JsonResponse(document, json_dumps_params={"indent": 2})
