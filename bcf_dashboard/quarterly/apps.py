from django.apps import AppConfig


class QuarterlyConfig(AppConfig):
    name = "bcf_dashboard.quarterly"
    label = "quarterly"
    verbose_name = "Quarterly summaries"

    def ready(self):
        from bcf_dashboard.core.signals import quarter_approved
        from bcf_dashboard.quarterly.services import freeze_on_approval
        from bcf_dashboard.quarterly.stored_pdf import pdf_on_approval

        quarter_approved.connect(freeze_on_approval, dispatch_uid="quarterly-freeze-summary")
        # Connected after the freeze, so the new version exists when its PDF is asked for.
        quarter_approved.connect(pdf_on_approval, dispatch_uid="quarterly-summary-pdf")
