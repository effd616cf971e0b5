from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bcf_dashboard.core.closed import ClosedQuarterAdmin
from schemes.models import Scheme, SchemeValue, SchemeYear


class SchemeYearInline(admin.TabularInline):
    model = SchemeYear
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["area", "ref", "name", "scheme_type", "area_of_spend", "commissioner", "funding_source", "status"]
    list_filter = ["scheme_type", "area_of_spend", "commissioner", "status", "funding_source", "area"]
    search_fields = ["ref", "name", "description", "area__name", "area__code", "provider_name"]
    list_select_related = ["area", "funding_source"]
    inlines = [SchemeYearInline]


@admin.register(SchemeYear)
class SchemeYearAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "financial_year", "budget", "forecast_override"]
    list_filter = ["financial_year", "scheme__area"]
    search_fields = ["scheme__ref", "scheme__name", "scheme__area__name"]
    list_select_related = ["scheme__area"]


@admin.register(SchemeValue)
class SchemeValueAdmin(ClosedQuarterAdmin, admin.ModelAdmin):
    # A figure of an approved or locked quarter is read-only here too (core.closed).
    area_of = staticmethod(lambda value: value.scheme.area_id)
    area_in = staticmethod(lambda cleaned: cleaned["scheme"].area_id)
    list_display = ["scheme", "period", "measure", "kind", "value", "updated_by", "updated_at"]
    list_filter = ["measure", "kind", "period__financial_year", "scheme__area"]
    search_fields = ["scheme__ref", "scheme__name", "scheme__area__name", "note"]
    list_select_related = ["scheme__area", "period", "updated_by"]
    raw_id_fields = ["scheme", "batch"]
