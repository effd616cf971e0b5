"""The Expenditure pages of a year's plan: a scheme's fields and budget, its monthly profile and activity plan,
and ending it. Finance officers of the area only (anyone else: 404); every save gives its reason once the plan
is agreed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, load_area
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import forms, selectors, services
from bcf_dashboard.planning.views import _sentence, _year
from schemes.models import Scheme


@require_http_methods(["GET", "POST"])
def scheme(request, area_code, year, ref=None):
    """Add a scheme (no ``ref``) or change one: every template field and its budget; and its profile."""
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT)
    found = get_object_or_404(Scheme, area=area, ref=ref) if ref else None
    scheme_year = found.years.filter(financial_year=year).first() if found else None
    form = forms.SchemeForm(
        request.POST or None,
        instance=found,
        year=year,
        area=area,
        initial={"budget": scheme_year.budget if scheme_year else None},
    )
    profile = forms.ProfileForm(year=year, initial={"how": "even"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            fields = {name: d[name] for name in services.SCHEME_FIELDS}
            try:
                saved = services.save_scheme(
                    user=request.user,
                    area=area,
                    year=year,
                    fields=fields,
                    budget=d["budget"],
                    scheme=found,
                    reason=d["reason"],
                )
                messages.success(request, f"{saved.ref} {saved.name} is saved. Now profile its budget.")
                return redirect("plan_scheme", area.code, year, saved.ref)
            except PlanRefused as refused:
                form.add_error(None, _sentence(refused))
        status = 400
    rows = {s.id: months for s, _, months in selectors.scheme_rows(area, year)}
    return render(
        request,
        "planning/scheme.html",
        {
            "page": selectors.plan_page(request.user, area, year, with_checks=False),
            "form": form,
            "profile": profile,
            "activity": forms.ActivityForm(year=year, initial=selectors.activity_initial(found, year))
            if found
            else None,
            "scheme": found,
            "scheme_year": scheme_year,
            "months": list(zip(periods.months_of_year(year), rows.get(found.id, [None] * 12))) if found else [],
        },
        status=status,
    )


@require_POST
def scheme_profile(request, area_code, year, ref):
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT)
    found = get_object_or_404(Scheme, area=area, ref=ref)
    profile = forms.ProfileForm(request.POST, year=year)
    if profile.is_valid():
        try:
            services.profile_scheme(
                user=request.user,
                area=area,
                year=year,
                scheme=found,
                how=profile.cleaned_data["how"],
                months=profile.months(),
                reason=profile.cleaned_data["reason"],
            )
            messages.success(request, f"{found.ref}'s monthly profile is saved.")
            return redirect("plan_scheme", area.code, year, found.ref)
        except PlanRefused as refused:
            profile.add_error(None, _sentence(refused))
    return _refused_page(request, area, year, found, profile=profile)


@require_POST
def scheme_activity(request, area_code, year, ref):
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT)
    found = get_object_or_404(Scheme, area=area, ref=ref)
    activity = forms.ActivityForm(request.POST, year=year)
    if activity.is_valid():
        try:
            services.plan_activity(
                user=request.user,
                area=area,
                year=year,
                scheme=found,
                months=activity.months(),
                reason=activity.cleaned_data["reason"],
            )
            messages.success(request, f"{found.ref}'s activity plan is saved.")
            return redirect("plan_scheme", area.code, year, found.ref)
        except PlanRefused as refused:
            activity.add_error(None, _sentence(refused))
    return _refused_page(request, area, year, found, activity=activity)


@require_POST
def scheme_end(request, area_code, year, ref):
    year = _year(year)
    area = load_area(request.user, area_code, action=EDIT)
    found = get_object_or_404(Scheme, area=area, ref=ref)
    if request.POST.get("confirm") != "end":
        messages.error(request, f"Use the page's button to end {found.ref}.")
        return redirect("plan_expenditure", area.code, year)
    try:
        services.end_scheme(
            user=request.user, area=area, year=year, scheme=found, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"{found.ref} has ended: it will not be rolled forward into the next year.")
    except PlanRefused as refused:
        messages.error(request, _sentence(refused))
    return redirect("plan_expenditure", area.code, year)


def _refused_page(request, area, year, found, *, profile=None, activity=None):
    """The scheme's page again after a refused profile or activity plan, with that form's errors (400)."""
    scheme_year = found.years.filter(financial_year=year).first()
    form = forms.SchemeForm(
        instance=found, year=year, area=area, initial={"budget": scheme_year.budget if scheme_year else None}
    )
    return render(
        request,
        "planning/scheme.html",
        {
            "page": selectors.plan_page(request.user, area, year, with_checks=False),
            "form": form,
            "profile": profile or forms.ProfileForm(year=year, initial={"how": "even"}),
            "activity": activity or forms.ActivityForm(year=year, initial=selectors.activity_initial(found, year)),
            "scheme": found,
            "scheme_year": scheme_year,
            "months": [],
        },
        status=400,
    )
