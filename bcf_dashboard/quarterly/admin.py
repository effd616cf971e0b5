"""The quarterly summary's records in the admin: to read, never to edit.

The narrative changes only on the summary page (while its quarter is open) and a frozen
version never changes, so the admin may not add, change or delete either.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bcf_dashboard.quarterly.models import QuarterNarrative, QuarterSummarySnapshot


class ReadOnly:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuarterNarrative)
class QuarterNarrativeAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["area", "financial_year", "quarter", "section", "updated_by", "updated_at"]
    list_filter = ["financial_year", "quarter", "area"]
    search_fields = ["area__name", "area__code", "section", "text"]
    list_select_related = ["area", "updated_by"]


@admin.register(QuarterSummarySnapshot)
class QuarterSummarySnapshotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["area", "financial_year", "quarter", "version", "approved_by", "approved_at"]
    list_filter = ["financial_year", "quarter", "area"]
    search_fields = ["area__name", "area__code"]
    list_select_related = ["area", "approved_by"]
    exclude = ["document"]  # large JSON: the summary page shows it
    readonly_fields = [
        "area",
        "financial_year",
        "quarter",
        "version",
        "quarter_return",
        "event",
        "approved_by",
        "approved_at",
    ]
