"""One returns file for every area a person may edit: a national or regional collation.

The file is kept and checked by the worker (``background``), then confirmed and applied by it, as a
large upload of one area's figures is; rows for an area the person may not edit are errors, as on the
area's own page. Only someone who may edit more than one area has these pages: anyone else gets a 404,
and the one-area finance officer is sent to their area's upload page.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from bcf_dashboard.core.access import EDIT, areas_for
from bcf_dashboard.core.limits import REASON_MAX_LENGTH
from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.core.null_characters import has_null
from bcf_dashboard.returns import background, uploads
from bcf_dashboard.returns.models import UploadJob


def _areas_or_404(request, *, one_is_enough=False):
    """The areas this person may edit, when there are several (a collation's pages are for them only)."""
    areas = list(areas_for(request.user, action=EDIT).only("id", "code", "name"))
    if len(areas) < (1 if one_is_enough else 2):
        raise Http404("A file for several areas is for those who enter figures for several areas")
    return areas


def max_bytes() -> int:
    return settings.RETURNS_COLLATION_MAX_BYTES


@csrf_exempt
def collation_upload(request):
    """Refuse an oversized file from its headers, before Django reads the body (and the CSRF check reads it)."""
    if request.method == "POST":
        areas = _areas_or_404(request)
        if uploads.too_large_by_header(request, limit=max_bytes()):
            return _page(request, areas, status=413, file_error=_too_large())
        request.upload_handlers.insert(0, uploads.SizeLimitHandler(request, limit=max_bytes()))
    return _collation_upload(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _collation_upload(request):
    areas = _areas_or_404(request, one_is_enough=request.method == "GET")
    if len(areas) == 1:
        return redirect("upload", areas[0].code)
    if request.method == "GET":
        return _page(request, areas)
    reason = request.POST.get("reason", "").strip()
    if len(reason) > REASON_MAX_LENGTH or has_null(reason):
        problem = (
            "The reason holds an invisible NUL character: retype it"
            if has_null(reason)
            else f"The reason is {len(reason):,} characters long: shorten it to {REASON_MAX_LENGTH:,} or fewer"
        )
        return _page(request, areas, status=400, reason=reason.replace("\x00", ""), reason_error=problem)
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", False) or (upload is not None and upload.size > max_bytes()):
        return _page(request, areas, status=413, file_error=_too_large(), reason=reason)
    if upload is None:
        return _page(request, areas, status=400, reason=reason, file_error="Choose the CSV or XLSX file to upload")
    pending = uploads.keep(user=request.user, area=None, file_name=upload.name, content=upload.read(), reason=reason)
    background.start(pending, at_once=request.POST.get("at_once") == "1")
    return redirect("collation_job", pending.token)


def _too_large() -> str:
    return (
        f"The file is larger than {uploads.megabytes(max_bytes())}, the most a file for several areas may be: "
        "split it into smaller files (by region or by year) and upload each"
    )


def _page(request, areas, *, status=200, file_error="", reason="", reason_error=""):
    recent = (
        ImportBatch.objects.filter(user=request.user, source=ImportBatch.Source.UPLOAD)
        .select_related("user")
        .order_by("-created_at")[:5]
    )
    return render(
        request,
        "returns/collation_upload.html",
        {
            "areas": areas,
            "file_error": file_error,
            "reason": reason,
            "reason_error": reason_error,
            "max_size": uploads.megabytes(max_bytes()),
            "recent": recent,
            "unfinished": UploadJob.objects.unfinished(user=request.user, area=None)[:5],
        },
        status=status,
    )


def _job_or_404(request, token) -> UploadJob:
    _areas_or_404(request)
    job = UploadJob.objects.filter(token=token, user=request.user, area=None).first()
    if job is None:
        raise Http404("No such upload")
    return job


@require_http_methods(["GET", "POST"])
def collation_job(request, token):
    """The collation's page: the check's progress, its counts and the confirm button, then the apply's progress."""
    job = _job_or_404(request, token)
    if job.stage == UploadJob.Stage.APPLIED:
        outcome = job.outcome
        messages.success(
            request,
            f"Applied {job.file_name}: {outcome['created']:,} new, {outcome['updated']:,} changed, "
            f"{outcome['unchanged']:,} unchanged, {outcome['blank']:,} left blank (import batch {outcome['batch']}).",
        )
        return redirect("collation_upload")
    pending = uploads.find(token=token, user=request.user, area=None)
    if request.method == "POST":
        if pending is None or job.stage != UploadJob.Stage.CHECKED:
            messages.error(request, "That upload is no longer waiting to be confirmed: upload the file again.")
            return redirect("collation_upload")
        if request.POST.get("action") == "cancel":
            pending.delete()
            job.delete()
            messages.info(request, f"Cancelled: nothing from {job.file_name} was saved.")
            return redirect("collation_upload")
        since = uploads.previewed_at(pending, request.POST.get("previewed", ""))
        if since is None or not job.outcome.get("ok"):
            messages.error(request, "The check you confirmed is out of date: look again and confirm.")
            return redirect("collation_job", token)
        background.confirm(job, since)
        return redirect("collation_job", token)
    return render(
        request,
        "returns/upload_job.html",
        {
            "area": None,
            "job": job,
            "progress": background.progress(job),
            "stamp": uploads.preview_stamp(pending, job.finished_at) if pending and job.finished_at else "",
            "outcome": job.outcome,
            "waiting": job.stage in (UploadJob.Stage.CHECKING, UploadJob.Stage.APPLYING),
            "progress_url": reverse("collation_job_progress", args=[token]),
            "job_url": reverse("collation_job", args=[token]),
            "upload_url": reverse("collation_upload"),
        },
    )


@require_GET
def collation_job_progress(request, token):
    return JsonResponse(background.progress(_job_or_404(request, token)), headers={"Cache-Control": "no-store"})
