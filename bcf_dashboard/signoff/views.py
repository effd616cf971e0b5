"""The sign-off page: an area-year's quarters, their states and history, and the steps this user may take.

Any member of the area may read it. Posting a step needs the step's role in the area
(finance officer to submit, approver for the rest): anyone else gets a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import APPROVE, load_area
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR
from bcf_dashboard.signoff.selectors import default_year, sign_off_page
from bcf_dashboard.signoff.services import STEPS, SignOffRefused, agree_plan, take_step

AGREE_PLAN = "agree_plan"


@require_GET
def sign_off_start(request, area_code):
    area = load_area(request.user, area_code)
    return redirect("signoff", area.code, default_year(area))


@require_http_methods(["GET", "POST"])
def sign_off(request, area_code, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such financial year")
    if request.method == "GET":
        area = load_area(request.user, area_code)
        return render(request, "signoff/signoff.html", {"page": sign_off_page(request.user, area, year)})
    action = request.POST.get("action", "")
    step = STEPS.get(action)
    if step is None and action != AGREE_PLAN:
        area = load_area(request.user, area_code)
        return _refused(request, area, year, "Choose one of the steps on the page.", status=400)
    area = load_area(request.user, area_code, action=step.permission if step else APPROVE)
    reason = request.POST.get("reason", "")
    try:
        if step is None:
            agree_plan(user=request.user, area=area, financial_year=year)
            messages.success(
                request,
                f"The {periods.year_label(year)} plan is agreed: from now on plan figures "
                "change only as a revision with a reason.",
            )
        else:
            quarter = _quarter(request.POST.get("quarter"))
            # An approval from the page carries what the page showed; without it, nothing to compare.
            shown = request.POST.get("shown", "") if action == "approve" else None
            quarter_return = take_step(
                user=request.user,
                area=area,
                financial_year=year,
                quarter=quarter,
                action=action,
                reason=reason,
                shown=shown,
            )
            messages.success(
                request, f"{periods.quarter(year, quarter).label} is now {quarter_return.get_state_display().lower()}."
            )
    except SignOffRefused as refused:
        return _refused(
            request,
            area,
            year,
            str(refused)[0].upper() + str(refused)[1:] + ".",
            reason=reason,
            quarter=request.POST.get("quarter"),
            action=action,
        )
    return redirect("signoff", area.code, year)


def _quarter(text) -> int:
    if text not in {"1", "2", "3", "4"}:
        raise SignOffRefused("choose a quarter from 1 to 4")
    return int(text)


def _refused(request, area, year, message, *, status=409, reason="", quarter="", action=""):
    return render(
        request,
        "signoff/signoff.html",
        {
            "page": sign_off_page(request.user, area, year),
            "error": message,
            "reason": reason,
            "error_quarter": quarter,
            "error_action": action,
        },
        status=status,
    )
