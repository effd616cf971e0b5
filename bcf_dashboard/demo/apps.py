from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bcf_dashboard.demo"
    label = "demo"
    verbose_name = "Demo and reference data"
