"""The returns feature's own record: an uploaded file kept between its preview and its confirmation."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone


class PendingUpload(models.Model):
    """An uploaded returns file kept between its preview and the user's confirmation.

    The confirmation posts only the token: the bytes applied are the ones previewed,
    checked against their sha256, and only for the user who uploaded them.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("bcf_dashboard.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    reason = models.TextField(blank=True, help_text="Given with the upload for revisions of an agreed plan")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "bcf_dashboard_pendingupload"  # made in the core app, before returns was an app of its own
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"{self.file_name} from {self.user} (until {self.expires_at:%H:%M})"


class UploadJobQuerySet(models.QuerySet):
    def unfinished(self, *, user, area):
        """The person's uploads still being checked, waiting for their confirmation or being saved, for
        ``area`` (None: their files for several areas), newest first: the upload pages list them, so a
        person who left a page can come back to it."""
        stages = [UploadJob.Stage.CHECKING, UploadJob.Stage.CHECKED, UploadJob.Stage.APPLYING]
        # Only while its kept file waits: an upload whose file expired or was let go can no longer go on.
        kept = PendingUpload.objects.filter(token=OuterRef("token"), user=user, expires_at__gt=timezone.now())
        return self.filter(Exists(kept), user=user, area=area, stage__in=stages).order_by("-stage_started_at")


class UploadJob(models.Model):
    """A large upload's check and apply, run by the background worker; the page shows its progress.

    Keyed by the kept upload's token, so the person can leave the page and come back to it. The apply
    sets ``stage`` to applied in the same transaction as its writes: a worker killed mid-apply leaves
    the upload waiting, and the retry applies it once.
    """

    class Stage(models.TextChoices):
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked"
        APPLYING = "applying", "Saving the figures"
        APPLIED = "applied", "Saved"
        FAILED = "failed", "Failed"

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None: a file for every area the person may edit (a national or regional collation).
    area = models.ForeignKey("bcf_dashboard.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.CHECKING)
    task_id = models.CharField(max_length=64, blank=True)
    outcome = models.JSONField(
        default=dict, blank=True, help_text="The check's counts, warnings and first errors; the applied batch"
    )
    error = models.TextField(blank=True)
    # How far the stage has got, as the worker reports it after each chunk of rows.
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    stage_started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = UploadJobQuerySet.as_manager()

    class Meta:
        ordering = ["-stage_started_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_stage_display()})"
