from django.apps import AppConfig


class BcfDashboardConfig(AppConfig):
    name = "bcf_dashboard"
    verbose_name = "Areas, periods and access"

    def ready(self):
        from . import session_limits  # noqa: F401  (connects the sign-in clock)
        from .audit import signals

        signals.connect()
