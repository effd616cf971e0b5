from django.apps import AppConfig


class QuarterlyConfig(AppConfig):
    name = "bcf_dashboard.quarterly"
    label = "quarterly"
    verbose_name = "Quarterly summaries"

    def ready(self):
        from bcf_dashboard.core.signals import quarter_approved

        from bcf_dashboard.quarterly.services import freeze_on_approval

        quarter_approved.connect(freeze_on_approval, dispatch_uid="quarterly-freeze-summary")
