from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "bcf_dashboard.signoff"
    label = "signoff"
    verbose_name = "Quarterly sign-off"
