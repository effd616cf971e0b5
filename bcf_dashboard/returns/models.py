"""The returns feature's own record: an uploaded file kept between its preview and its confirmation."""

from django.conf import settings
from django.db import models
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
