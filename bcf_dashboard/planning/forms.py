"""The plan pages' forms: they read and check what was typed; the services write it."""

from decimal import Decimal

from django import forms

from bcf_dashboard.core import periods
from bcf_dashboard.core.limits import REASON_MAX_LENGTH
from bcf_dashboard.core.models import Partner
from funding.models import FundingSource
from schemes.models import Scheme

MONEY = dict(max_digits=14, decimal_places=2, required=False)


def sources_of(year):
    return FundingSource.objects.filter(id__in=[s.id for s in FundingSource.objects.all() if s.applies_in(year)])


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=REASON_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
            label="Reason for the revision (needed once the plan is agreed)",
            **kwargs,
        )


class SchemeForm(forms.ModelForm):
    budget = forms.DecimalField(label="Budget for the year (£)", min_value=0, max_digits=14, decimal_places=2)
    reason = ReasonField()

    class Meta:
        model = Scheme
        fields = [
            "ref",
            "name",
            "scheme_type",
            "area_of_spend",
            "commissioner",
            "la_share_pct",
            "nhs_share_pct",
            "provider",
            "provider_name",
            "funding_source",
            "is_new",
            "description",
        ]
        labels = {
            "ref": "Scheme reference",
            "scheme_type": "Scheme type",
            "funding_source": "Source of funding",
            "is_new": "New scheme (not continuing)",
            "name": "Scheme name",
            "provider_name": "Provider, if not a listed partner",
        }

    def __init__(self, *args, year, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = sources_of(year)
        self.fields["provider"].queryset = area.partners.all()
        self.fields["description"].widget.attrs["rows"] = 3

    def validate_unique(self):
        """The service says which reference clashes, with the area's name."""

    def clean(self):
        data = super().clean()
        la, nhs = data.get("la_share_pct"), data.get("nhs_share_pct")
        if la is not None and nhs is not None and la + nhs != 100:
            self.add_error("nhs_share_pct", f"The split adds up to {la + nhs}%: the two shares must make 100%.")
        commissioner = data.get("commissioner")
        if (commissioner == "la" and la != 100) or (commissioner == "nhs" and nhs != 100):
            self.add_error("commissioner", "A single commissioner takes 100% of the split: choose Joint to share it.")
        return data


class ProfileForm(forms.Form):
    how = forms.ChoiceField(
        label="Profile the budget",
        widget=forms.RadioSelect,
        choices=[
            ("even", "Spread evenly over the twelve months"),
            ("like_last_year", "Shaped like last year's actual spend"),
            ("typed", "As typed below, month by month"),
        ],
    )
    reason = ReasonField()

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        for ref in periods.months_of_year(year):
            self.fields[f"m{ref.number}"] = forms.DecimalField(label=ref.label, **MONEY)

    def months(self):
        return [self.cleaned_data.get(f"m{n}") for n in range(1, 13)]


class ActivityForm(forms.Form):
    # Blank months clear the plan's activity; this hidden field tells a real form from an empty request.
    months_given = forms.CharField(widget=forms.HiddenInput, initial="12")
    reason = ReasonField()

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        for ref in periods.months_of_year(year):
            self.fields[f"a{ref.number}"] = forms.DecimalField(
                label=f"{ref.label} activity", min_value=0, max_digits=14, decimal_places=2, required=False
            )

    def months(self):
        return [self.cleaned_data.get(f"a{n}") for n in range(1, 13)]


class ContributionForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none())
    source = forms.ModelChoiceField(queryset=FundingSource.objects.none(), label="Source")
    amount = forms.DecimalField(label="Amount (£), blank to remove", min_value=0, **MONEY)
    note = forms.CharField(required=False, max_length=2000)
    reason = ReasonField()

    def __init__(self, *args, year, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources_of(year)
        self.fields["partner"].queryset = area.partners.all()


class MetricPlanForm(forms.Form):
    annual = forms.DecimalField(label="Plan for the year", min_value=0, max_digits=16, decimal_places=4, required=False)
    reason = ReasonField()

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        for ref in periods.months_of_year(year):
            self.fields[f"m{ref.number}"] = forms.DecimalField(
                label=ref.label, min_value=0, max_digits=16, decimal_places=4, required=False
            )

    def months(self):
        found = [self.cleaned_data.get(f"m{n}") for n in range(1, 13)]
        return found if any(v is not None for v in found) else None


class RiskShareForm(forms.Form):
    planned_nea_reduction = forms.IntegerField(label="Planned reduction in emergency admissions", min_value=0)
    cost_per_admission = forms.DecimalField(
        label="Cost per admission (£)", min_value=0, max_digits=14, decimal_places=6
    )
    contingency = forms.DecimalField(
        label="Contingency held in the pool (£)", min_value=0, max_digits=14, decimal_places=2, initial=Decimal(0)
    )
    performance_fund = forms.BooleanField(
        label="Performance fund (NHS money released as admissions fall)", required=False
    )
    reason = ReasonField()

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        for partner in self.partners:
            self.fields[f"share_{partner.id}"] = forms.DecimalField(
                label=f"{partner.name}'s share (%)",
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                required=False,
            )

    def shares(self):
        return {
            p: self.cleaned_data[f"share_{p.id}"]
            for p in self.partners
            if self.cleaned_data.get(f"share_{p.id}") is not None
        }

    def clean(self):
        data = super().clean()
        if self.partners and not self.errors:
            total = sum(self.shares().values(), Decimal(0))
            if self.shares() and total != 100:
                raise forms.ValidationError(f"The partners' shares add up to {total}%: they must make 100%.")
        return data
