from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "bcf_dashboard.returns"
    label = "returns"
    verbose_name = "Monthly returns: entry, upload, import and export"
