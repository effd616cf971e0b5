from django.apps import AppConfig


class BcfDashboardConfig(AppConfig):
    name = "bcf_dashboard"
    verbose_name = "Areas, periods and access"

    def ready(self):
        from .audit import signals

        signals.connect()
