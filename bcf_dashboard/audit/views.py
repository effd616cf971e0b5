"""History pages: an area's and a scheme's changes, filterable, paginated and exportable to CSV.

Finance officers, approvers, commissioners and staff may read them (``access.AUDIT``);
anyone else gets a 404.
"""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bcf_dashboard.audit import timeline
from bcf_dashboard.core import periods
from bcf_dashboard.core.access import AUDIT, load_area
from bcf_dashboard.core.formats import neutralise_formula
from metrics.models import MetricDefinition
from schemes.models import Scheme

PER_PAGE = 50
EXPORT_CHUNK = 500
CSV_COLUMNS = [
    "when",
    "who",
    "source",
    "file",
    "what",
    "measure",
    "period",
    "kind",
    "field",
    "old",
    "new",
    "old_note",
    "new_note",
    "reason",
]


@require_GET
def area_history(request, area_code):
    area = load_area(request.user, area_code, action=AUDIT)
    return _history(request, area, None)


@require_GET
def scheme_history(request, area_code, ref):
    area = load_area(request.user, area_code, action=AUDIT)
    scheme = get_object_or_404(Scheme, area=area, ref=ref)  # only within an area the user may read
    return _history(request, area, scheme)


BATCH_ID_MAX = 2**63 - 1  # the largest id a BIGINT column holds


def _filters(query, people, scheme):
    filters, problems = timeline.Filters(scheme=scheme), []
    month = query.get("month", "").strip()
    if month:
        try:
            ref = periods.parse_period(month)
            if ref.kind != periods.MONTH:
                raise periods.PeriodError(month)
            filters.month = ref
        except ValueError:  # a PeriodError, or a year the calendar has no date for (0000-04)
            problems.append(f"'{month[:20]}' is not a month: choose one such as 2017-04")
    person = query.get("person", "")
    if person:
        ids = {str(p.id) for p in people}
        if person in ids:
            filters.user_id = int(person)
        else:
            problems.append("That person has made no changes here")
    what = query.get("what", "")
    if what in dict(timeline.WHAT_CHOICES):
        filters.what = what
    batch = query.get("batch", "")
    if batch.isdigit():
        filters.batch_id = int(batch)
        if filters.batch_id > BATCH_ID_MAX:  # past any row: the database's BIGINT cannot even hold it
            filters.batch_id = None
            problems.append(
                f"There is no upload number {batch[:20]}{'…' if len(batch) > 20 else ''}: "
                "follow the link from the upload's confirmation or the history list"
            )
    return filters, problems


def _history(request, area, scheme):
    people = timeline.people(area)
    filters, problems = _filters(request.GET, people, scheme)
    rows = timeline.timeline(area, filters)
    names = _measure_names(area)
    if request.GET.get("export") == "csv":
        return _csv(rows, names, area, scheme)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/history.html",
        {
            "area": area,
            "scheme": scheme,
            "page": page,
            "entries": timeline.load(page.object_list, names=names),
            "people": people,
            "filters": filters,
            "problems": problems,
            "what_choices": timeline.WHAT_CHOICES,
            "query": query.urlencode(),
            "month_text": request.GET.get("month", ""),
        },
    )


def _measure_names(area) -> dict[str, str]:
    names = {m.code: m.name for m in MetricDefinition.objects.only("code", "name")}
    for ref, name in Scheme.objects.filter(area=area).values_list("ref", "name"):
        for measure in ("spend", "activity", "saving"):
            names[f"{measure}:{ref}"] = name
    return names


class _Echo:
    def write(self, value):
        return value


def _csv(rows, names, area, scheme):
    """Every matching change, streamed; text cells that a spreadsheet would run as formulas are neutralised."""
    keys = list(rows)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for start in range(0, len(keys), EXPORT_CHUNK):
            for entry in timeline.load(keys[start : start + EXPORT_CHUNK], names=names):
                for cells in _cells(entry):
                    yield writer.writerow(cells)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    what = f"{area.code}-{scheme.ref}" if scheme else area.code
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    safe_name = "".join(c if c.isalnum() or c in "-_" else "-" for c in what)
    response["Content-Disposition"] = f'attachment; filename="history-{safe_name}-{stamp}.csv"'
    return response


def _cells(entry):
    when = timezone.localtime(entry.when).isoformat(timespec="seconds")
    common = [when, entry.who, entry.source, entry.file_name, entry.what, entry.measure, entry.period, entry.kind]
    if entry.changes:
        for change in entry.changes:
            yield _safe(common + [change.field, change.old, change.new, "", "", entry.reason])
        return
    if entry.measure:  # a figure: the numbers as numbers
        old = "" if entry.old_value is None else format(entry.old_value, "f")
        new = "" if entry.new_value is None else format(entry.new_value, "f")
        yield _safe(common + [""], tail=[old, new]) + _safe([entry.old_note, entry.new_note, entry.reason])
        return
    yield _safe(common + ["", entry.old, entry.new, "", "", entry.reason])


def _safe(cells, tail=None):
    safe = [neutralise_formula(str(cell)) if cell else "" for cell in cells]
    return safe + (tail or [])
