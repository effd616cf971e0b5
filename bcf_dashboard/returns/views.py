"""Finance officers' pages: monthly entry, plan entry, upload with preview and confirm, the template.

Every view starts with ``load_area(..., action=EDIT)``: whoever may not enter this area's figures gets a 404.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, areas_for, load_area
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR, REASON_MAX_LENGTH
from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.core.null_characters import has_null
from bcf_dashboard.digests import pagecache
from bcf_dashboard.returns import background, entry_save, uploads
from bcf_dashboard.returns import entry as entry_form
from bcf_dashboard.returns.models import PendingUpload, UploadJob
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.returns.template import template_xlsx
from schemes.selectors import month_to_enter

PREVIEW_LIMIT = 500  # changes listed on the preview page; the counts cover them all


def month_or_404(text: str) -> periods.PeriodRef:
    try:
        ref = periods.parse_period(text)
    except ValueError:  # a PeriodError, or a year the calendar has no date for (0000-04)
        raise Http404("No such month") from None
    if ref.kind != periods.MONTH or ref.code != text or not FIRST_YEAR <= ref.financial_year <= LAST_YEAR:
        raise Http404("No such month")
    return ref


@require_GET
def entry_start(request, area_code):
    """Last month's figures, or the month (and kind) chosen in the page's month picker."""
    area = load_area(request.user, area_code, action=EDIT)
    month = month_to_enter(area)
    if request.GET.get("month"):
        month = month_or_404(request.GET["month"])
    return redirect("plan_entry" if request.GET.get("kind") == "plan" else "entry", area.code, month.code)


@require_http_methods(["GET", "POST"])
def entry(request, area_code, month, kind=entry_form.ACTUAL):
    """One month's figures for every scheme and metric of the area; ``kind`` plan edits the plan."""
    area = load_area(request.user, area_code, action=EDIT)
    ref = month_or_404(month)
    # Read before the figures: a write committed in between then only makes the key older, never the tables.
    tables_key = pagecache.page_key("entry", area, ref.code, kind) if request.method == "GET" else ""
    if request.method == "GET":
        page = entry_form.build_page(area, ref, kind)
    else:
        # A save needs only the inputs it changes; every page shown again is built afresh with its figures.
        page = entry_form.build_page(area, ref, kind, with_figures=False, only=entry_save.changed_inputs(request.POST))
        if page.closed:
            page = entry_form.build_page(area, ref, kind)
            state = page.quarter_return.get_state_display().lower()
            page.errors.append(
                (
                    "",
                    f"{page.quarter_label} is {state}, so its figures cannot change: "
                    "ask the approver to reopen the quarter.",
                )
            )
        else:
            outcome = entry_save.save(page, data=request.POST, user=request.user)
            if outcome.saved:
                result = outcome.result
                messages.success(
                    request,
                    f"Saved {len(result.changes)} figure{'s' if len(result.changes) != 1 else ''}"
                    f" for {ref.label} ({result.created} new, {result.updated} changed).",
                )
                return redirect(request.path)
            if not page.errors and outcome.result is None:
                messages.info(request, "Nothing was saved: no figure was changed.")
                return redirect(request.path)
            page = entry_save.show_again(page, entry_form.build_page(area, ref, kind), outcome)
    # A page as stored (no one's entries or errors on it) draws its tables from the cache: the key
    # names the area, its data version (which sign-off moves too), the month and the kind.
    return render(
        request,
        "returns/entry.html",
        {
            "area": area,
            "page": page,
            "state": page.state_token(),
            "tables_key": tables_key,
            "months": periods.months_of_year(ref.financial_year),
            "url_name": "entry" if kind == entry_form.ACTUAL else "plan_entry",
        },
    )


@require_GET
def upload_start(request):
    """The upload page of the user's one area, or the list of the areas they may upload for."""
    areas = list(areas_for(request.user, action=EDIT))
    if not areas:
        raise Http404("You do not enter figures for any area")
    if len(areas) == 1:
        return redirect("upload", areas[0].code)
    return render(request, "returns/upload_choose.html", {"areas": areas})


@csrf_exempt
def upload(request, area_code):
    """Refuse an oversized upload from its headers, before Django reads the body (and the CSRF check reads it)."""
    if request.method == "POST":
        area = load_area(request.user, area_code, action=EDIT)
        if uploads.too_large_by_header(request):
            return _upload_page(request, area, status=413, file_error=_too_large_message())
        request.upload_handlers.insert(0, uploads.SizeLimitHandler(request))
    return _upload(request, area_code)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload(request, area_code):
    area = load_area(request.user, area_code, action=EDIT)
    if request.method == "GET":
        return _upload_page(request, area)
    reason = request.POST.get("reason", "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        return _upload_page(
            request,
            area,
            status=400,
            reason=reason,
            reason_error=f"The reason is {len(reason):,} characters long: shorten it to {REASON_MAX_LENGTH:,} or fewer",
        )
    if has_null(reason):  # this view reads its own body: the middleware (null_characters) leaves it
        return _upload_page(
            request,
            area,
            status=400,
            reason=reason.replace("\x00", ""),
            reason_error="The reason holds an invisible NUL character: retype it",
        )
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", False) or (upload is not None and upload.size > uploads.max_bytes()):
        return _upload_page(request, area, status=413, file_error=_too_large_message(), reason=reason)
    if upload is None:
        return _upload_page(
            request, area, status=400, reason=reason, file_error="Choose the CSV or XLSX file to upload"
        )
    content = upload.read()
    if len(content) > background.threshold():  # checked by the worker; the job's page shows how far it has got
        pending = uploads.keep(user=request.user, area=area, file_name=upload.name, content=content, reason=reason)
        background.start(pending)
        return redirect("upload_job", area.code, pending.token)
    result = import_returns(
        content=content, file_name=upload.name, user=request.user, dry_run=True, reason=reason, area=area
    )
    if not result.ok:
        return _upload_page(request, area, status=400, result=result, reason=reason)
    pending = uploads.keep(user=request.user, area=area, file_name=upload.name, content=content, reason=reason)
    return redirect("upload_preview", area.code, pending.token)


def _too_large_message():
    return (
        f"The file is larger than {uploads.megabytes(uploads.max_bytes())}, the most a returns file may be: "
        "split it into smaller files (one per area or quarter) and upload each"
    )


def _upload_page(
    request, area, *, status=200, result=None, file_error="", reason="", reason_error="", template_error=""
):
    recent = (
        ImportBatch.objects.filter(changes__area=area).distinct().select_related("user").order_by("-created_at")[:5]
    )
    return render(
        request,
        "returns/upload.html",
        {
            "area": area,
            "result": result,
            "file_error": file_error,
            "reason": reason,
            "reason_error": reason_error,
            "template_error": template_error,
            "max_size": uploads.megabytes(uploads.max_bytes()),
            "recent": recent,
            "unfinished": UploadJob.objects.unfinished(user=request.user, area=area)[:5],
            "template_month": request.GET.get("month") or month_to_enter(area).code,
        },
        status=status,
    )


class _KeepPending(Exception):
    """Rolls back the claim on a pending upload when its confirmation is refused."""


@require_http_methods(["GET", "POST"])
def upload_preview(request, area_code, token):
    """GET: what the kept file would change now. POST: apply it (or cancel it)."""
    area = load_area(request.user, area_code, action=EDIT)
    pending = uploads.find(token=token, user=request.user, area=area)
    if pending is None:
        messages.error(
            request,
            "That upload is no longer waiting: it was applied, cancelled or has expired "
            "(uploads wait an hour). Upload the file again.",
        )
        return redirect("upload", area.code)
    content = uploads.content_of(pending)
    if content is None:
        pending.delete()
        messages.error(request, "The kept file could not be read back intact: upload it again.")
        return redirect("upload", area.code)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        pending.delete()
        messages.info(request, f"Cancelled: nothing from {pending.file_name} was saved.")
        return redirect("upload", area.code)
    if request.method == "POST":
        since = uploads.previewed_at(pending, request.POST.get("previewed", ""))
        if since is None:
            messages.error(
                request, "The preview you confirmed is out of date: check the changes below and confirm again."
            )
            return redirect("upload_preview", area.code, token)
        result = _confirm(pending, content, area, request.user, since)
        if result is None:
            messages.error(request, "That upload was already applied.")
            return redirect("upload", area.code)
        if result.ok:
            blank = f", {result.blank} left blank" if result.blank else ""
            messages.success(
                request,
                f"Applied {pending.file_name}: {result.created} new, {result.updated} changed, "
                f"{result.unchanged} unchanged{blank}.",
            )
            return redirect(reverse("area_history", args=[area.code]) + f"?batch={result.batch.pk}")
        return _preview_page(request, area, pending, result, status=409)
    moment = timezone.now()  # before the dry run: anything changed after it is refused on confirming
    result = import_returns(
        content=content, file_name=pending.file_name, user=request.user, dry_run=True, reason=pending.reason, area=area
    )
    return _preview_page(request, area, pending, result, stamp=uploads.preview_stamp(pending, moment))


@require_http_methods(["GET", "POST"])
def upload_job(request, area_code, token):
    """A large upload's page: the check's progress, then its counts and the confirm button, then the
    apply's progress. The person can leave it and come back (the address names the kept upload)."""
    area = load_area(request.user, area_code, action=EDIT)
    job = UploadJob.objects.filter(token=token, user=request.user, area=area).first()
    if job is None:
        return redirect("upload_preview", area.code, token)
    if job.stage == UploadJob.Stage.APPLIED:
        messages.success(
            request,
            f"Applied {job.file_name}: {job.outcome['created']} new, {job.outcome['updated']} "
            f"changed, {job.outcome['unchanged']} unchanged, {job.outcome['blank']} left blank.",
        )
        return redirect(reverse("area_history", args=[area.code]) + f"?batch={job.outcome['batch']}")
    pending = uploads.find(token=token, user=request.user, area=area)
    if request.method == "POST":
        if pending is None or job.stage != UploadJob.Stage.CHECKED:
            messages.error(request, "That upload is no longer waiting to be confirmed: upload the file again.")
            return redirect("upload", area.code)
        if request.POST.get("action") == "cancel":
            pending.delete()
            job.delete()
            messages.info(request, f"Cancelled: nothing from {job.file_name} was saved.")
            return redirect("upload", area.code)
        since = uploads.previewed_at(pending, request.POST.get("previewed", ""))
        if since is None or not job.outcome.get("ok"):
            messages.error(request, "The check you confirmed is out of date: look again and confirm.")
            return redirect("upload_job", area.code, token)
        background.confirm(job, since)
        return redirect("upload_job", area.code, token)
    stamp = uploads.preview_stamp(pending, job.finished_at) if pending and job.finished_at else ""
    return render(
        request,
        "returns/upload_job.html",
        {
            "area": area,
            "job": job,
            "progress": background.progress(job),
            "stamp": stamp,
            "outcome": job.outcome,
            "waiting": job.stage in (UploadJob.Stage.CHECKING, UploadJob.Stage.APPLYING),
            "progress_url": reverse("upload_job_progress", args=[area.code, token]),
            "job_url": reverse("upload_job", args=[area.code, token]),
            "upload_url": reverse("upload", args=[area.code]),
        },
    )


@require_GET
def upload_job_progress(request, area_code, token):
    area = load_area(request.user, area_code, action=EDIT)
    job = UploadJob.objects.filter(token=token, user=request.user, area=area).first()
    if job is None:
        raise Http404("No such upload")
    return JsonResponse(background.progress(job), headers={"Cache-Control": "no-store"})


def _confirm(pending, content, area, user, since):
    try:
        with transaction.atomic():
            # Claiming the row first makes a double click apply the file once, and on SQLite takes the write lock.
            claimed, _ = PendingUpload.objects.filter(pk=pending.pk).delete()
            if not claimed:
                return None
            result = import_returns(
                content=content,
                file_name=pending.file_name,
                user=user,
                reason=pending.reason,
                changed_since=since,
                area=area,
                source=ImportBatch.Source.UPLOAD,
            )
            if not result.ok:
                raise _KeepPending(result)
    except _KeepPending as refused:
        return refused.args[0]
    return result


def _preview_page(request, area, pending, result, *, stamp="", status=200):
    changed = [c for c in result.changes if not c.is_new]
    new = [c for c in result.changes if c.is_new]
    names = _measure_names(area)
    return render(
        request,
        "returns/upload_preview.html",
        {
            "area": area,
            "pending": pending,
            "result": result,
            "stamp": stamp,
            "changed": [_preview_row(c, names) for c in changed[:PREVIEW_LIMIT]],
            "new": [_preview_row(c, names) for c in new[:PREVIEW_LIMIT]],
            "changed_more": max(0, len(changed) - PREVIEW_LIMIT),
            "new_more": max(0, len(new) - PREVIEW_LIMIT),
        },
        status=status,
    )


def _preview_row(change, names) -> dict:
    unit = "money" if change.measure.startswith(("spend:", "saving:")) else "count"
    return {
        "row": change.row,
        "measure": change.measure,
        "name": names.get(change.measure, ""),
        "period": periods.parse_period(change.period).label,
        "kind": change.kind,
        "old": entry_form.show(change.old_value, unit),
        "new": entry_form.show(change.new_value, unit),
        "note": change.new_note if change.new_note != change.old_note else "",
        "note_removed": bool(change.old_note and not change.new_note),
    }


def _measure_names(area) -> dict[str, str]:
    from metrics.models import MetricDefinition
    from schemes.models import Scheme

    names = {m.code: m.name for m in MetricDefinition.objects.all().only("code", "name")}
    for ref, name in Scheme.objects.filter(area=area).values_list("ref", "name"):
        names[f"spend:{ref}"] = names[f"activity:{ref}"] = names[f"saving:{ref}"] = name
    return names


@require_GET
def upload_template(request, area_code):
    """The pre-filled workbook for a month (``?month=2017-05``, ``&kind=plan`` for the plan)."""
    area = load_area(request.user, area_code, action=EDIT)
    text = request.GET.get("month", "")
    try:
        month = month_or_404(text)
    except Http404:
        return _upload_page(
            request,
            area,
            status=400,
            template_error=f"'{text[:20]}' is not a month: choose one, e.g. {month_to_enter(area).code}",
        )
    kind = "plan" if request.GET.get("kind") == "plan" else "actual"
    response = HttpResponse(
        template_xlsx(area, month, kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="returns-{area.code}-{month.code}-{kind}.xlsx"'
    return response
