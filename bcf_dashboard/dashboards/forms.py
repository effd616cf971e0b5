"""Query-string forms for the dashboards: what to show, never what to change."""

from django import forms

from bcf_dashboard.core import periods
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR
from bcf_dashboard.core.statuses import STATUS_CHOICES, STATUS_RANK


def year_param(query, name: str = "year") -> int | None:
    """A financial year from the query string (``2017`` or ``2017/18``); None when absent or unreadable."""
    text = query.get(name)
    if not text:
        return None
    try:
        year = periods.parse_year(text)
    except (periods.PeriodError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def status_param(query) -> str:
    status = query.get("status", "")
    return status if status in STATUS_RANK else ""


def _year_choices(years):
    return [(str(y), periods.year_label(y)) for y in years]


class OverviewFilterForm(forms.Form):
    """Shown with the chosen values; the view reads the query itself (see year_param, status_param)."""

    year = forms.ChoiceField(label="Financial year", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    status = forms.ChoiceField(label="Overall status", required=False, choices=[("", "Any status"), *STATUS_CHOICES])

    def __init__(self, *args, years, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]


class ComparisonForm(forms.Form):
    metric = forms.ChoiceField(label="Metric")
    year = forms.ChoiceField(label="Financial year", required=False)
    region = forms.ChoiceField(label="Region", required=False)

    def __init__(self, *args, metrics, years, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(d.code, f"{d.code}: {d.name}") for d in metrics]
        self.fields["year"].choices = _year_choices(years)
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
