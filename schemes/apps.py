from django.apps import AppConfig


class SchemesConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'schemes'
    verbose_name = "Schemes"
