from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "bcf_dashboard.planning"
    label = "planning"
    verbose_name = "The year's plan"
