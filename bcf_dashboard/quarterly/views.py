"""The quarterly summary's pages: the summary (and its narrative form), its PDF, and the list of summaries.

Any member of the area reads them; another area's people get a 404. Saving the narrative needs the
finance officer's role in the area (anyone else: 404, as for sign-off steps).
"""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from bcf_dashboard.core.access import EDIT, load_area
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR
from bcf_dashboard.digests import services as digest_services
from bcf_dashboard.digests.selectors import years_with_data
from bcf_dashboard.quarterly import stored_pdf, summary_html
from bcf_dashboard.quarterly.listing import areas_with_summaries, summaries_page
from bcf_dashboard.quarterly.models import SummaryPdf
from bcf_dashboard.quarterly.page import summary_page
from bcf_dashboard.quarterly.services import NarrativeRefused, save_narrative


def _checked(year: int, quarter: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= quarter <= 4:
        raise Http404("No such quarter")


def _which(query) -> dict:
    """``?version=N`` (a frozen version) or ``?draft=1`` (today's figures); neither: the page decides."""
    version = query.get("version")
    if version is not None and not (version.isascii() and version.isdigit() and 0 < int(version) < 10_000):
        raise Http404("No such version of this summary")
    return {"version": int(version) if version else None, "draft": query.get("draft") == "1"}


@require_http_methods(["GET", "POST"])
def summary(request, area_code, year, quarter):
    _checked(year, quarter)
    if request.method == "POST":
        return _save(request, area_code, year, quarter)
    area = load_area(request.user, area_code)
    which = _which(request.GET)

    def build():
        return summary_page(request.user, area, year, quarter, **which)

    return summary_html.render_cached(request, area, year, quarter, which=which, build=build)


def _save(request, area_code, year, quarter):
    area = load_area(request.user, area_code, action=EDIT)
    page = summary_page(request.user, area, year, quarter, draft=True, data=request.POST)
    if page.form is None:
        return _refused(
            request,
            area,
            page,
            f"{page.label} is {page.state_label.lower()}, so its narrative is "
            "read-only; an approver can reopen the quarter, with a reason.",
        )
    if not page.form.is_valid():
        return summary_html.render_page(
            request, page, area, error="Check the narrative: some of it is too long.", status=400
        )
    try:
        saved = save_narrative(
            user=request.user, area=area, year=year, quarter=quarter, texts=page.form.texts(), seen=page.form.seen()
        )
    except NarrativeRefused as refused:
        lost = [
            (page.form[name].label, text)
            for name, text in page.form.cleaned_data.items()
            if not name.startswith("seen_") and text
        ]
        # Show what is stored now, with the officer's own words beside the error to copy from.
        fresh = summary_page(request.user, area, year, quarter, draft=True)
        return _refused(request, area, fresh, str(refused)[0].upper() + str(refused)[1:] + ".", lost=lost)
    messages.success(
        request, f"The narrative for {page.label} is saved." if saved else "Nothing had changed, so nothing was saved."
    )
    url = reverse("quarter_summary", args=[area.code, year, quarter])
    return redirect(f"{url}{'?draft=1' if page.versions else ''}#narrative")


def _refused(request, area, page, message, *, lost=()):
    return summary_html.render_page(request, page, area, error=message, lost=lost, status=409)


@require_GET
def summary_pdf(request, area_code, year, quarter):
    """The same page as a PDF: served from the file storage once the worker has made it; until then a
    page that shows the worker's progress and comes back here when it is done."""
    _checked(year, quarter)
    area = load_area(request.user, area_code)
    page = summary_page(request.user, area, year, quarter, **_which(request.GET))
    record = stored_pdf.find_or_request(page, again=request.GET.get("again") == "1")
    if record.status == SummaryPdf.Status.READY:
        response = FileResponse(
            default_storage.open(record.file_name),
            as_attachment=True,
            filename=record.download_name,
            content_type="application/pdf",
        )
        response["Server-Timing"] = f"pdf;dur={(record.seconds or 0) * 1000:.0f}"
        return response
    context = {"page": page, "area": area, "pdf": record, "progress": stored_pdf.progress(record)}
    if record.status == SummaryPdf.Status.FAILED:
        return render(request, "quarterly/pdf_unavailable.html", {**context, "reason": record.error}, status=503)
    return render(request, "quarterly/pdf_preparing.html", context)


@require_GET
def summary_pdf_progress(request, area_code, year, quarter, pdf_id):
    """The waiting page's question, asked every second or two: how far the worker has got."""
    _checked(year, quarter)
    area = load_area(request.user, area_code)
    record = get_object_or_404(SummaryPdf, pk=pdf_id, area=area, financial_year=year, quarter=quarter)
    return JsonResponse(stored_pdf.progress(record), headers={"Cache-Control": "no-store"})


@require_GET
def summaries(request, area_code):
    area = load_area(request.user, area_code)
    years = years_with_data(digest_services.up_to_date_flags([area]))  # may store flags a write left unknown
    return render(
        request,
        "quarterly/summaries.html",
        {"page": summaries_page(request.user, area, years_with_data=years), "area": area},
    )


@require_GET
def summaries_start(request):
    """Where the nav's "Quarterly summaries" leads: the one area's list, or a choice of areas."""
    found = areas_with_summaries(request.user)
    if len(found) == 1:
        return redirect("summaries", found[0].area.code)
    return render(request, "quarterly/areas.html", {"areas": found})
