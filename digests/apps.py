from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Data versions and headline digests"

    def ready(self):
        from . import signals

        signals.connect()
