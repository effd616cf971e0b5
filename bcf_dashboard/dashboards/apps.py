from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "bcf_dashboard.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards: overview, comparison, area-years, schemes and metrics"
