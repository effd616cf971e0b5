from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bcf_dashboard.api"
    label = "api"
    verbose_name = "Read API"
