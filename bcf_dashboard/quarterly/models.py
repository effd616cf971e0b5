"""The quarterly summary's own records: the officers' narrative and the versions frozen at approval.

Their tables keep the names they were made with in the core app (``bcf_dashboard_``), so moving
them into this app moved no data (quarterly migration 0001, core migration 0005).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bcf_dashboard.core import periods

# The national quarterly returns ask for these three; a metric's comment is "metric:<code>".
SECTIONS = {"challenges": "Challenges", "achievements": "Achievements", "support": "Support needs"}
METRIC_PREFIX = "metric:"


class QuarterNarrative(models.Model):
    """One section of a quarter's narrative, as the area's finance officers wrote it."""

    area = models.ForeignKey("bcf_dashboard.Area", on_delete=models.CASCADE, related_name="quarter_narratives")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=60, help_text="challenges, achievements, support or metric:<code>")
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    history = HistoricalRecords(table_name="bcf_dashboard_historicalquarternarrative")  # every wording, who, when

    class Meta:
        db_table = "bcf_dashboard_quarternarrative"
        ordering = ["area", "financial_year", "quarter", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "financial_year", "quarter", "section"], name="quarter_narrative_unique"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="narrative_quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.area} {periods.quarter(self.financial_year, self.quarter).label} {self.section}"


class QuarterSummarySnapshot(models.Model):
    """The summary as it was approved: figures, charts and narrative as JSON. Written once, never changed."""

    area = models.ForeignKey("bcf_dashboard.Area", on_delete=models.CASCADE, related_name="summary_snapshots")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    quarter_return = models.ForeignKey(
        "bcf_dashboard.QuarterReturn", on_delete=models.PROTECT, related_name="snapshots"
    )
    event = models.OneToOneField(
        "bcf_dashboard.QuarterReturnEvent",
        on_delete=models.PROTECT,
        related_name="snapshot",
        help_text="The approval that froze it",
    )
    document = models.JSONField(help_text="The summary document, chart figures and narrative as approved")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        db_table = "bcf_dashboard_quartersummarysnapshot"
        ordering = ["area", "financial_year", "quarter", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "financial_year", "quarter", "version"], name="summary_snapshot_version_unique"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="snapshot_quarter_1_to_4"),
            models.CheckConstraint(condition=Q(version__gte=1), name="snapshot_version_from_1"),
        ]

    def __str__(self):
        return f"{self.area} {periods.quarter(self.financial_year, self.quarter).label} summary v{self.version}"


class SummaryPdf(models.Model):
    """A summary's PDF made by the background worker and kept in the file storage (``default_storage``).

    A frozen version's PDF is made once, when it is approved (``key`` "v<N>"); a draft's is made on
    request for the figures of one moment (``key`` "draft-<digest of the data version>"), so a write
    to the area's figures or narrative asks for a new one rather than serving a stale file.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    area = models.ForeignKey("bcf_dashboard.Area", on_delete=models.CASCADE, related_name="summary_pdfs")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The frozen version; empty for a draft")
    key = models.CharField(max_length=80, help_text="v<N>, or draft-<digest of the data version it shows>")
    file_name = models.CharField(max_length=200, blank=True, help_text="Its name in the file storage, once made")
    download_name = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="How long Chromium took")

    class Meta:
        ordering = ["area", "financial_year", "quarter", "key"]
        constraints = [
            models.UniqueConstraint(fields=["area", "financial_year", "quarter", "key"], name="summary_pdf_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="summary_pdf_quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.area} {periods.quarter(self.financial_year, self.quarter).label} PDF {self.key}"
