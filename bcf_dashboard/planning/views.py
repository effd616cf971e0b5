"""The plan pages of an area-year, in the national template's order: overview and checks, income,
expenditure, metrics, risk share; the plan's workflow; the planning workbook.

Anyone with a role in the area reads them; only its finance officers change the plan (``load_area(...,
action=EDIT)`` on every write, so anyone else gets a 404) and only its approvers agree it.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import APPROVE, EDIT, VIEW, load_area
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import forms, selectors, services, workflow
from bcf_dashboard.planning.rollforward import EMPTY, ROLL_FORWARD, start_year


def _year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such financial year")
    return year


def _sentence(error) -> str:
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


@require_http_methods(["GET", "POST"])
def plan_start(request, area_code):
    """The area's planned years, and starting the next one (rolled forward or empty)."""
    if request.method == "POST":
        area = load_area(request.user, area_code, action=EDIT)
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        if not FIRST_YEAR <= year <= LAST_YEAR:
            messages.error(request, "Choose the financial year to start.")
            return redirect("plan_start", area.code)
        how = ROLL_FORWARD if request.POST.get("how") != EMPTY else EMPTY
        try:
            start_year(user=request.user, area=area, year=year, how=how)
        except PlanRefused as refused:
            messages.error(request, _sentence(refused))
            return redirect("plan_start", area.code)
        messages.success(request, f"{periods.year_label(year)} is started as a draft plan.")
        return redirect("plan", area.code, year)
    area = load_area(request.user, area_code)
    years = selectors.planned_years(area)
    next_year = min(max(selectors.latest_year(area) + 1, FIRST_YEAR), LAST_YEAR)
    page = selectors.plan_page(request.user, area, next_year, with_checks=False)
    started = {p.financial_year for p in years}
    choices = [y for y in range(next_year - 2, next_year + 2) if FIRST_YEAR <= y <= LAST_YEAR and y not in started]
    return render(
        request, "planning/start.html", {"page": page, "years": years, "next_year": next_year, "choices": choices}
    )


@require_http_methods(["GET", "POST"])
def plan(request, area_code, year):
    """The year's plan at a glance with its checks, and the workflow's buttons."""
    year = _year(year)
    if request.method == "POST":
        action = request.POST.get("action", "")
        needs = {"submit": EDIT, "agree": APPROVE, "send_back": APPROVE}.get(action, VIEW)
        area = load_area(request.user, area_code, action=needs)
        try:
            if action == "submit":
                workflow.submit(user=request.user, area=area, year=year)
                messages.success(request, "The plan is submitted: the area's approvers have been told.")
            elif action == "agree":
                workflow.agree(user=request.user, area=area, year=year)
                messages.success(
                    request, "The plan is agreed: from now on it changes only as a revision with a reason."
                )
            elif action == "send_back":
                workflow.send_back(user=request.user, area=area, year=year, reason=request.POST.get("reason", ""))
                messages.success(request, "The plan is sent back to the finance officer who submitted it.")
            else:
                raise PlanRefused("choose one of the steps on the page")
        except PlanRefused as refused:
            page = selectors.plan_page(request.user, area, year)
            return render(
                request,
                "planning/plan.html",
                {
                    "page": page,
                    "error": _sentence(refused),
                    "reason": request.POST.get("reason", ""),
                    "schemes": selectors.scheme_rows(area, year),
                    "contributions": selectors.contributions(area, year),
                },
                status=409 if needs != VIEW else 400,
            )
        return redirect("plan", area.code, year)
    area = load_area(request.user, area_code)
    page = selectors.plan_page(request.user, area, year)
    return render(
        request,
        "planning/plan.html",
        {
            "page": page,
            "schemes": selectors.scheme_rows(area, year),
            "contributions": selectors.contributions(area, year),
        },
    )


@require_http_methods(["GET", "POST"])
def income(request, area_code, year):
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT if request.method == "POST" else VIEW)
    form = forms.ContributionForm(request.POST or None, year=year, area=area)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_contribution(
                    user=request.user,
                    area=area,
                    year=year,
                    partner=d["partner"],
                    source=d["source"],
                    amount=d["amount"],
                    note=d["note"],
                    reason=d["reason"],
                )
                messages.success(request, "The contribution is saved.")
                return redirect("plan_income", area.code, year)
            except PlanRefused as refused:
                form.add_error(None, _sentence(refused))
        status = 400
    return render(
        request,
        "planning/income.html",
        {
            "page": selectors.plan_page(request.user, area, year),
            "form": form,
            "contributions": selectors.contributions(area, year),
            "requirement": selectors.requirement(area, year),
        },
        status=status,
    )


@require_GET
def expenditure(request, area_code, year):
    year = _year(year)
    area = load_area(request.user, area_code)
    return render(
        request,
        "planning/expenditure.html",
        {
            "page": selectors.plan_page(request.user, area, year),
            "schemes": selectors.scheme_rows(area, year),
            "ended": selectors.ended_schemes(area),
        },
    )


@require_http_methods(["GET", "POST"])
def metrics(request, area_code, year):
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT if request.method == "POST" else VIEW)
    available = selectors.metrics_for(area, year)
    errors, status = {}, 200
    if request.method == "POST":
        metric = next((m for m in available if m.code == request.POST.get("metric")), None)
        form = forms.MetricPlanForm(request.POST, year=year)
        if metric is None:
            messages.error(request, f"Choose one of the metrics of {periods.year_label(year)} on the page.")
            return redirect("plan_metrics", area.code, year)
        if form.is_valid():
            try:
                services.save_metric_plan(
                    user=request.user,
                    area=area,
                    year=year,
                    metric=metric,
                    annual=form.cleaned_data["annual"],
                    months=form.months(),
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"{metric.code}'s plan is saved.")
                return redirect("plan_metrics", area.code, year)
            except PlanRefused as refused:
                form.add_error(None, _sentence(refused))
        errors[metric.code] = form
        status = 400
    plans = selectors.metric_plans(area, year)
    rows = []
    for m in available:
        values = plans.get(m.id, {})
        initial = {"annual": values.get(0), **{f"m{n}": values.get(n) for n in range(1, 13)}}
        rows.append((m, errors.get(m.code) or forms.MetricPlanForm(initial=initial, year=year)))
    return render(
        request,
        "planning/metrics.html",
        {"page": selectors.plan_page(request.user, area, year), "rows": rows},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def risk_share(request, area_code, year):
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT if request.method == "POST" else VIEW)
    terms = selectors.risk_terms(area, year)
    partners = area.partners.all().order_by("name")
    initial = {}
    if terms:
        initial = {
            "planned_nea_reduction": terms.planned_nea_reduction,
            "cost_per_admission": terms.cost_per_admission,
            "contingency": terms.contingency,
            "performance_fund": terms.performance_fund,
            **{f"share_{s.partner_id}": s.share_pct for s in terms.splits.all()},
        }
    form = forms.RiskShareForm(request.POST or None, partners=partners, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_risk_share(
                    user=request.user,
                    area=area,
                    year=year,
                    planned_nea_reduction=d["planned_nea_reduction"],
                    cost_per_admission=d["cost_per_admission"],
                    contingency=d["contingency"],
                    performance_fund=d["performance_fund"],
                    shares=form.shares(),
                    reason=d["reason"],
                )
                messages.success(request, "The risk share terms are saved.")
                return redirect("plan_risk_share", area.code, year)
            except PlanRefused as refused:
                form.add_error(None, _sentence(refused))
        status = 400
    return render(
        request,
        "planning/risk_share.html",
        {"page": selectors.plan_page(request.user, area, year), "form": form, "terms": terms},
        status=status,
    )
