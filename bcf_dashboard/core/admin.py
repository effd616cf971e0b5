from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from bcf_dashboard.core.models import (
    Area,
    AreaPartner,
    AreaYearPlan,
    ImportBatch,
    Membership,
    Partner,
    Period,
    Plan,
    Population,
    QuarterReturn,
    QuarterReturnEvent,
    ValueChange,
)

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
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "full_name", "role", "area", "area_code", "user_active"]
    list_filter = ["role", "area", "user__is_active", "user__is_staff"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "area__name", "area__code"]
    autocomplete_fields = ["user", "area"]
    list_select_related = ["user", "area"]

    @admin.display(description="Name", ordering="user__last_name")
    def full_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description="ONS code", ordering="area__code")
    def area_code(self, obj):
        return obj.area.code

    @admin.display(description="Active", boolean=True, ordering="user__is_active")
    def user_active(self, obj):
        return obj.user.is_active


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["area"]
    verbose_name = "area role"
    verbose_name_plural = "What this person may do, area by area"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """Django's user admin with the person's area roles on the same page."""

    inlines = [UserMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__area"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__area")

    @admin.display(description="Area roles")
    def roles(self, obj):
        return "; ".join(f"{m.get_role_display()}, {m.area.name}" for m in obj.memberships.all()) or "none"


class QuarterReturnEventInline(admin.TabularInline):
    model = QuarterReturnEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "action", "from_state", "to_state", "user", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuarterReturn)
class QuarterReturnAdmin(admin.ModelAdmin):
    list_display = ["area", "financial_year", "quarter", "state", "submitted_by", "approved_by"]
    list_filter = ["state", "financial_year", "quarter", "area"]
    search_fields = ["area__name", "area__code"]
    inlines = [QuarterReturnEventInline]
    # States move only through the sign-off page, which records who, when and why.
    readonly_fields = ["state", "submitted_by", "submitted_at", "approved_by", "approved_at"]


@admin.register(QuarterReturnEvent)
class QuarterReturnEventAdmin(admin.ModelAdmin):
    list_display = ["at", "quarter_return", "action", "user", "reason"]
    list_filter = ["action", "quarter_return__financial_year", "quarter_return__area"]
    search_fields = ["quarter_return__area__name", "quarter_return__area__code", "user__username", "reason"]
    list_select_related = ["quarter_return__area", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AreaYearPlan)
class AreaYearPlanAdmin(SimpleHistoryAdmin):
    list_display = ["area", "financial_year", "agreed", "agreed_by", "agreed_at"]
    list_filter = ["agreed", "financial_year", "area"]
    search_fields = ["area__name", "area__code"]
    readonly_fields = ["agreed_by", "agreed_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source", "file_name", "user", "rows", "created", "updated", "unchanged", "reason"]
    list_filter = ["source"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"

    # A batch is part of the audit trail, like the changes it made.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
