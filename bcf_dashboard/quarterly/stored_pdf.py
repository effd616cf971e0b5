"""The summaries' PDFs: made by the background worker, kept in the file storage, served from there.

Chromium takes seconds and hundreds of megabytes, so it never runs inside a web request: a request
for a PDF that is not made yet records what is asked for (``SummaryPdf``) and enqueues
``make_summary_pdf``; the page then shows its progress (``progress``) until it is ready. A frozen
version's PDF is asked for as the approval commits, so it is usually ready before anyone asks.

Every task is safe to run twice (a worker killed mid-task has its task handed out again, see
``core/management/commands/worker.py``): it does nothing for a PDF already made, and it saves the
file under a name fixed by the record, replacing a half-finished earlier attempt rather than adding
a second file.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from bcf_dashboard.quarterly import pdf as chromium
from bcf_dashboard.quarterly import summary_html
from bcf_dashboard.quarterly.models import QuarterSummarySnapshot, SummaryPdf
from bcf_dashboard.quarterly.page import APPROVED, SummaryPage, summary_page

TYPICAL_SECONDS = 4.0  # Chromium's time for one summary: the progress bar's yardstick
log = logging.getLogger(__name__)
Status = SummaryPdf.Status


def key_for(page) -> str:
    """What the PDF shows: a frozen version, or a draft's data version (the page cache's key of its figures)."""
    if page.snapshot is not None:
        return f"v{page.snapshot.version}"
    return "draft-" + hashlib.sha256(page.figures_key.encode()).hexdigest()[:40]


def find_or_request(page, *, again: bool = False) -> SummaryPdf:
    """The stored PDF of ``page``'s document, asked of the worker when it is not made yet, was lost,
    or its worker vanished; ``again`` asks once more after a failure."""
    record, created = SummaryPdf.objects.get_or_create(
        area=page.area,
        financial_year=page.year,
        quarter=page.quarter,
        key=key_for(page),
        defaults={
            "version": page.snapshot.version if page.snapshot else None,
            "download_name": page.file_name,
            "requested_at": timezone.now(),
        },
    )
    if created or _needs_another_go(record, again=again):
        request(record)
        record.refresh_from_db()
    return record


def _needs_another_go(record: SummaryPdf, *, again: bool) -> bool:
    if record.status == Status.READY:
        return not default_storage.exists(record.file_name)
    if record.status == Status.FAILED:
        return again
    since = record.started_at or record.requested_at
    return timezone.now() - since > timedelta(seconds=settings.BCF_TASK_STALE_SECONDS)


def request(record: SummaryPdf, *, after_commit: bool = False) -> None:
    """Queue the making of ``record``'s PDF: at once from a page (its row is already committed), or, from
    inside a transaction (``after_commit``), once it commits, so the worker finds the row it is to make."""
    SummaryPdf.objects.filter(pk=record.pk).update(
        status=Status.QUEUED, error="", task_id="", requested_at=timezone.now(), started_at=None
    )
    if after_commit:
        transaction.on_commit(lambda: _enqueue(record.pk))
    else:
        _enqueue(record.pk)


def _enqueue(pdf_id: int) -> None:
    result = make_summary_pdf.enqueue(pdf_id)
    SummaryPdf.objects.filter(pk=pdf_id, task_id="").update(task_id=str(result.id))


def request_frozen(snapshot: QuarterSummarySnapshot) -> SummaryPdf:
    """Ask for a newly approved version's PDF (called inside the approval's transaction)."""
    page = SummaryPage(
        area=snapshot.area,
        year=snapshot.financial_year,
        quarter=snapshot.quarter,
        document={},
        mode=APPROVED,
        quarter_return=None,
        versions=[],
        snapshot=snapshot,
    )
    record, created = SummaryPdf.objects.get_or_create(
        area=snapshot.area,
        financial_year=snapshot.financial_year,
        quarter=snapshot.quarter,
        key=key_for(page),
        defaults={"version": snapshot.version, "download_name": page.file_name, "requested_at": timezone.now()},
    )
    if created:
        request(record, after_commit=True)
    return record


def pdf_on_approval(sender, *, event, **kwargs) -> None:
    """Receiver of ``core.signals.quarter_approved`` (after the summary is frozen): its PDF, made once."""
    snapshot = QuarterSummarySnapshot.objects.select_related("area").filter(event=event).first()
    if snapshot is not None:
        request_frozen(snapshot)


def storage_name(record: SummaryPdf) -> str:
    return f"summaries/{record.area.code}/{record.financial_year}-q{record.quarter}/{record.key}.pdf"


@task()
def make_summary_pdf(pdf_id: int) -> str:
    """Make and store one summary's PDF; the stored file's name, or why there is none."""
    SummaryPdf.objects.filter(pk=pdf_id).exclude(status=Status.READY).update(
        status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    record = SummaryPdf.objects.select_related("area").filter(pk=pdf_id).first()
    if record is None:
        return "gone"
    if record.status == Status.READY and default_storage.exists(record.file_name):
        return record.file_name  # made by an earlier run of this same task
    page = summary_page(
        AnonymousUser(),
        record.area,
        record.financial_year,
        record.quarter,
        version=record.version,
        draft=record.version is None,
    )
    if key_for(page) != record.key:
        return _failed(record, "The figures changed while the PDF was being prepared: ask for it again.")
    path = reverse("quarter_summary", args=[record.area.code, record.financial_year, record.quarter])
    html = summary_html.html_for_pdf(page, record.area)
    try:
        made, seconds = chromium.html_to_pdf(html, path=path)
    except chromium.PdfUnavailable as unavailable:
        log.warning("Summary PDF %s failed: %s", record, unavailable)
        return _failed(record, str(unavailable))
    name = storage_name(record)
    if default_storage.exists(name):
        default_storage.delete(name)  # an earlier run stopped after saving: replace it, never keep two
    saved = default_storage.save(name, ContentFile(made))
    SummaryPdf.objects.filter(pk=pdf_id).update(
        status=Status.READY, file_name=saved, error="", finished_at=timezone.now(), seconds=seconds
    )
    if record.version is None:
        _forget_older_drafts(record)
    log.info("Summary PDF %s: %d bytes in %.2fs", record, len(made), seconds)
    return saved


def _failed(record: SummaryPdf, reason: str) -> str:
    SummaryPdf.objects.filter(pk=record.pk).update(status=Status.FAILED, error=reason, finished_at=timezone.now())
    return reason


def _forget_older_drafts(record: SummaryPdf) -> None:
    """A draft's PDF shows the figures of one moment: once a newer one is made, the older are of no use."""
    older = (
        SummaryPdf.objects.filter(
            area=record.area,
            financial_year=record.financial_year,
            quarter=record.quarter,
            version__isnull=True,
            finished_at__lt=record.finished_at or timezone.now(),
        )
        .exclude(pk=record.pk)
        .exclude(status__in=[Status.QUEUED, Status.RUNNING])
    )
    for stale in older:
        if stale.file_name:
            default_storage.delete(stale.file_name)
        stale.delete()


def progress(record: SummaryPdf) -> dict:
    """What the waiting page shows: the state in words and a percentage (an estimate while Chromium works)."""
    percent = {Status.QUEUED: 5, Status.READY: 100, Status.FAILED: 100}.get(record.status)
    if percent is None:
        elapsed = (timezone.now() - record.started_at).total_seconds() if record.started_at else 0
        percent = min(95, 10 + int(85 * elapsed / TYPICAL_SECONDS))
    return {
        "status": record.status,
        "label": record.get_status_display(),
        "percent": percent,
        "ready": record.status == Status.READY,
        "error": record.error,
    }
