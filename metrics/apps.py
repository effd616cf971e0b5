from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "metrics"
    verbose_name = "Metrics"

    def ready(self):
        # A figure of an approved or locked quarter changes nowhere until an approver reopens it.
        from bcf_dashboard.core.closed import connect_guards
        from metrics.models import MetricValue

        connect_guards(MetricValue, lambda value: value.area_id)
