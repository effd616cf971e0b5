"""Keeping an uploaded file between its preview and its confirmation, and refusing oversized uploads.

The bytes are kept in a ``PendingUpload`` row under a random token, for the user who sent
them only, for an hour. Confirming posts the token, never the file again: what is applied
is exactly what was previewed (its sha256 is checked before it is applied).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.signing import BadSignature, TimestampSigner
from django.utils import timezone

from bcf_dashboard.returns.models import PendingUpload

KEEP_FOR = datetime.timedelta(hours=1)
KEEP_AT_MOST = 5  # per user: older previews are dropped
# Room for the multipart framing and the form's other fields around the file itself.
ENVELOPE_BYTES = 64 * 1024
PREVIEW_SALT = "bcf-upload-preview"


def max_bytes() -> int:
    return settings.RETURNS_UPLOAD_MAX_BYTES


def too_large_by_header(request, limit: int | None = None) -> bool:
    """True when the request says it is bigger than any acceptable upload (``limit``, else an area's
    upload's): refuse it unread."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > (limit or max_bytes()) + ENVELOPE_BYTES


class SizeLimitHandler(FileUploadHandler):
    """Stops reading the body as soon as a file passes the limit (for requests without a length)."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.received, self.limit = 0, limit

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > (self.limit or max_bytes()):
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)  # read the rest to discard it, never to keep it
        return raw_data

    def file_complete(self, file_size):
        return None


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def keep(*, user, area, file_name: str, content: bytes, reason: str = "") -> PendingUpload:
    """Store the bytes for the preview; old and expired previews go at the same time."""
    now = timezone.now()
    PendingUpload.objects.filter(expires_at__lt=now).delete()
    stale = (
        PendingUpload.objects.filter(user=user).order_by("-created_at").values_list("id", flat=True)[KEEP_AT_MOST - 1 :]
    )
    PendingUpload.objects.filter(id__in=list(stale)).delete()
    return PendingUpload.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        area=area,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        reason=reason,
        created_at=now,
        expires_at=now + KEEP_FOR,
    )


def find(*, token: str, user, area, lock=False) -> PendingUpload | None:
    """The user's own unexpired upload with this token, or None (another user's token finds nothing)."""
    pending = PendingUpload.objects.filter(token=token, user=user, area=area, expires_at__gte=timezone.now())
    if lock:
        pending = pending.select_for_update()
    return pending.first()


def content_of(pending: PendingUpload) -> bytes | None:
    """The stored bytes if they are still the ones previewed, else None."""
    content = bytes(pending.content)
    return content if hashlib.sha256(content).hexdigest() == pending.sha256 else None


def preview_stamp(pending: PendingUpload, moment: datetime.datetime) -> str:
    """When the preview was shown, signed for this upload: the confirmation refuses changes made after it."""
    return TimestampSigner(salt=PREVIEW_SALT).sign(f"{pending.token}:{moment.isoformat()}")


def previewed_at(pending: PendingUpload, stamp: str) -> datetime.datetime | None:
    try:
        token, _, moment = TimestampSigner(salt=PREVIEW_SALT).unsign(stamp, max_age=KEEP_FOR).partition(":")
    except BadSignature:
        return None
    if token != pending.token:
        return None
    return datetime.datetime.fromisoformat(moment)
