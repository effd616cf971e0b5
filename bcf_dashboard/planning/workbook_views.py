"""The planning workbook from the plan pages: export it; upload it, see every change, then apply it.

The uploaded file waits in the user's session between the preview and the confirmation (a plan's
workbook is small); the confirmation reads it again, so what applies is what was previewed.
"""

import base64
import hashlib

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, load_area
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import selectors, workbook, workbook_import
from bcf_dashboard.planning.views import _year

SESSION_KEY = "planning_workbook"


@require_GET
def export(request, area_code, year):
    year = _year(year)
    area = load_area(request.user, area_code)
    response = HttpResponse(
        workbook.plan_workbook(area, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"plan-{area.code}-{periods.year_label(year).replace('/', '-')}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def upload(request, area_code, year):
    """Step 1 (a file): check it and show the changes. Step 2 (confirm): apply the file previewed."""
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT)
    reason = request.POST.get("reason", "")
    if request.POST.get("confirm"):
        kept = request.session.get(SESSION_KEY) or {}
        if kept.get("digest") != request.POST.get("digest") or kept.get("area") != area.code:
            messages.error(request, "That preview has expired: upload the workbook again.")
            return redirect("plan", area.code, year)
        content = base64.b64decode(kept["content"])
    else:
        file = request.FILES.get("workbook")
        if file is None:
            return _page(request, area, year, ["Workbook: choose the planning workbook (.xlsx) to upload"])
        if file.size > workbook_import.MAX_BYTES:
            return _page(request, area, year, ["Workbook: the file is over 5 MB; a plan is far smaller"])
        content = file.read()
    reading = workbook_import.read(content, user=request.user, reason=reason)
    if reading.ok and (reading.area != area or reading.year != year):
        reading.errors.append(
            f"Cover!B2: this workbook is the plan of {reading.area.code} "
            f"{periods.year_label(reading.year)}: upload it on that plan's page"
        )
    if not reading.ok:
        return _page(request, area, year, reading.errors)
    if not request.POST.get("confirm"):
        digest = hashlib.sha256(content).hexdigest()
        request.session[SESSION_KEY] = {
            "digest": digest,
            "area": area.code,
            "content": base64.b64encode(content).decode(),
        }
        return render(
            request,
            "planning/workbook_preview.html",
            {
                "page": selectors.plan_page(request.user, area, year, with_checks=False),
                "reading": reading,
                "digest": digest,
                "reason": reason,
            },
        )
    try:
        count = workbook_import.apply(reading, user=request.user, reason=reason)
    except PlanRefused as refused:
        return _page(request, area, year, [f"Workbook: {refused}"])
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"The workbook is applied: {count} change{'s' if count != 1 else ''}.")
    return redirect("plan", area.code, year)


def _page(request, area, year, errors):
    return render(
        request,
        "planning/workbook_preview.html",
        {"page": selectors.plan_page(request.user, area, year, with_checks=False), "errors": errors},
        status=400,
    )
