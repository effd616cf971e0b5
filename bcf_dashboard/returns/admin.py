from django.contrib import admin

from bcf_dashboard.returns.models import PendingUpload


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "user", "area", "size", "expires_at"]
    search_fields = ["file_name", "user__username"]
    exclude = ["content", "token"]
    readonly_fields = ["file_name", "user", "area", "sha256", "size", "reason", "created_at", "expires_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
