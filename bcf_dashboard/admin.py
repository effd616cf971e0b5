from django.contrib import admin

from .models import (Area, AreaPartner, ImportBatch, Membership, Partner, Period, Plan, Population,
                     QuarterReturn, ValueChange)

admin.site.site_header = "BCF Dashboard administration"
admin.site.site_title = "BCF Dashboard admin"


class AreaPartnerInline(admin.TabularInline):
    model = AreaPartner
    extra = 0
    autocomplete_fields = ["partner"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "pool_host", "valid_from", "valid_to"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["pool_host"]
    inlines = [AreaPartnerInline, MembershipInline]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(AreaPartner)
class AreaPartnerAdmin(admin.ModelAdmin):
    list_display = ["area", "partner", "role", "first_year", "last_year"]
    list_filter = ["role", "area"]
    search_fields = ["area__name", "area__code", "partner__name", "partner__code"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "band", "population"]
    list_filter = ["band", "year", "area"]
    search_fields = ["area__name", "area__code"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "first_year", "last_year", "agreed_on"]
    list_filter = ["first_year"]
    search_fields = ["name", "areas__name"]
    filter_horizontal = ["areas"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "financial_year", "number", "start", "end"]
    list_filter = ["kind", "financial_year"]
    search_fields = ["code"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "area"]
    list_filter = ["role", "area"]
    search_fields = ["user__username", "user__email", "area__name", "area__code"]
    autocomplete_fields = ["user", "area"]


@admin.register(QuarterReturn)
class QuarterReturnAdmin(admin.ModelAdmin):
    list_display = ["area", "financial_year", "quarter", "state", "submitted_by", "approved_by"]
    list_filter = ["state", "financial_year", "quarter", "area"]
    search_fields = ["area__name", "area__code"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source", "file_name", "user", "rows", "created", "updated", "unchanged"]
    list_filter = ["source"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"


@admin.register(ValueChange)
class ValueChangeAdmin(admin.ModelAdmin):
    list_display = ["area", "period", "measure", "kind", "old_value", "new_value", "batch"]
    list_filter = ["kind", "area", "batch__source"]
    search_fields = ["measure", "area__code", "area__name", "batch__file_name"]
    list_select_related = ["area", "period", "batch"]

    # The audit trail is written by the services only; nobody edits it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
