from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "bcf_dashboard.digests"
    label = "digests"  # the label its tables and migrations were made under
    verbose_name = "Data versions and headline digests"

    def ready(self):
        from bcf_dashboard.digests import signals

        signals.connect()
