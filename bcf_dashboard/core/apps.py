from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Areas, partners, periods, access, money and the audit trail of figures: the bottom layer.

    The label stays ``bcf_dashboard``, the app these models were first created in, so their
    tables and migrations are the ones every existing database already has.
    """

    name = "bcf_dashboard.core"
    label = "bcf_dashboard"
    verbose_name = "Areas, periods and access"

    def ready(self):
        from bcf_dashboard.core import session_limits  # noqa: F401  (connects the sign-in clock)
