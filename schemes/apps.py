from django.apps import AppConfig


class SchemesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "schemes"
    verbose_name = "Schemes"

    def ready(self):
        # A figure of an approved or locked quarter changes nowhere until an approver reopens it.
        from bcf_dashboard.core.closed import connect_guards
        from schemes.models import SchemeValue

        connect_guards(SchemeValue, lambda value: value.scheme.area_id)
