"""The summary page as HTML: its parts (the printed pages' margin, the article) and the layout around them.

A GET's parts are cached whole (decision 17) under the area's data version and the quarter's stamp
(``selectors.quarter_stamp``: its sign-off, frozen versions and narrative), with what else they vary
on: the version asked for and whether the person may write the narrative. Nothing per person is in
them: the narrative form's CSRF token is in the layout, in an empty form element that the text boxes
and the save button name with ``form=``. A posted narrative's page (with the person's typed text and
errors) and the PDF's are drawn afresh.
"""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, can
from bcf_dashboard.digests import pagecache
from bcf_dashboard.quarterly import selectors

TEMPLATE = "quarterly/summary.html"
PARTS = {"head": "quarterly/_summary_head.html", "article": "quarterly/_summary_article.html"}


def _parts(page, area, **extra) -> dict:
    """Drawn without the request, so that no context processor can put the person into a cached part."""
    context = {"page": page, "area": area, **extra}
    html = {name: render_to_string(template, context) for name, template in PARTS.items()}
    return {**html, "has_form": page.form is not None}


def _layout_context(area, year: int, quarter: int, parts: dict) -> dict:
    return {
        "area": area,
        "year": year,
        "year_label": periods.year_label(year),
        "label": periods.quarter(year, quarter).label,
        "has_form": parts["has_form"],
        # The cache (the app's own, like the database) holds strings: mark again what our templates rendered.
        "parts": {name: mark_safe(parts[name]) for name in PARTS},  # nosec B308 B703  # our templates' escaped HTML
    }


def render_page(request, page, area, *, status=200, **extra):
    """The page drawn afresh: after a posted narrative (``extra``: the error, the text that was not saved)."""
    parts = _parts(page, area, **extra)
    return render(request, TEMPLATE, _layout_context(area, page.year, page.quarter, parts), status=status)


def render_cached(request, area, year: int, quarter: int, *, which: dict, build):
    """A GET's page: ``build()`` makes the ``SummaryPage`` only when its parts are not cached."""
    may_edit = can(request.user, area, EDIT)
    key = pagecache.page_key(
        "quarter-page",
        area,
        area.code,
        area.name,
        year,
        quarter,
        sorted(which.items()),
        may_edit,
        selectors.quarter_stamp(area, year, quarter),
    )
    parts = pagecache.cached(key, lambda: _parts(build(), area))
    return render(request, TEMPLATE, _layout_context(area, year, quarter, parts))


def html_for_pdf(page, area) -> str:
    """The whole page as the PDF prints it: no narrative form, no site navigation."""
    page.form = None  # a PDF is for reading
    parts = _parts(page, area, for_pdf=True)
    return render_to_string(TEMPLATE, {**_layout_context(area, page.year, page.quarter, parts), "for_pdf": True})
