from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bcf_dashboard.core.closed import ClosedQuarterAdmin
from metrics.models import MetricDefinition, MetricValue


@admin.register(MetricDefinition)
class MetricDefinitionAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "better",
        "rollup",
        "entered_as",
        "population_band",
        "tolerance_pct",
        "first_year",
        "last_year",
        "area",
    ]
    list_filter = ["unit", "better", "rollup", "area"]
    search_fields = ["code", "name", "description"]


@admin.register(MetricValue)
class MetricValueAdmin(ClosedQuarterAdmin, admin.ModelAdmin):
    # A figure of an approved or locked quarter is read-only here too (core.closed).
    area_of = staticmethod(lambda value: value.area_id)
    area_in = staticmethod(lambda cleaned: cleaned["area"].id)
    list_display = ["area", "metric", "period", "kind", "value", "updated_by", "updated_at"]
    list_filter = ["kind", "metric", "period__financial_year", "period__kind", "area"]
    search_fields = ["area__name", "area__code", "metric__code", "note"]
    list_select_related = ["area", "metric", "period", "updated_by"]
    raw_id_fields = ["batch"]
