from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import Contribution, FundingRequirement, FundingSource, RiskShareSplit, RiskShareTerms, UpliftRate


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "paid_by", "first_year", "last_year", "counts_towards_nhs_minimum"]
    list_filter = ["kind", "paid_by"]
    search_fields = ["code", "name"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["area", "financial_year", "source", "partner", "amount"]
    list_filter = ["financial_year", "source", "area"]
    search_fields = ["area__name", "area__code", "partner__name", "source__name"]
    autocomplete_fields = ["area", "partner"]


@admin.register(UpliftRate)
class UpliftRateAdmin(admin.ModelAdmin):
    list_display = ["financial_year", "rate_pct"]


@admin.register(FundingRequirement)
class FundingRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["area", "financial_year", "nhs_minimum", "social_care_minimum", "out_of_hospital_minimum"]
    list_filter = ["financial_year", "area"]
    search_fields = ["area__name", "area__code"]


class RiskShareSplitInline(admin.TabularInline):
    model = RiskShareSplit
    extra = 0


@admin.register(RiskShareTerms)
class RiskShareTermsAdmin(SimpleHistoryAdmin):
    list_display = [
        "area",
        "financial_year",
        "planned_nea_reduction",
        "cost_per_admission",
        "contingency",
        "performance_fund",
    ]
    list_filter = ["financial_year", "performance_fund", "area"]
    search_fields = ["area__name", "area__code"]
    inlines = [RiskShareSplitInline]


@admin.register(RiskShareSplit)
class RiskShareSplitAdmin(admin.ModelAdmin):
    list_display = ["terms", "partner", "share_pct"]
    list_filter = ["terms__financial_year", "terms__area"]
    search_fields = ["terms__area__name", "partner__name"]
