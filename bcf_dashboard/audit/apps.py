from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bcf_dashboard.audit"
    label = "audit"
    verbose_name = "Change history"

    def ready(self):
        from bcf_dashboard.audit import signals

        signals.connect()
