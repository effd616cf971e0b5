from django.views.decorators.http import require_GET

from digests import pagecache

from bcf_dashboard import access
from bcf_dashboard.access import can, load_area
from bcf_dashboard.forms import year_param

from .scheme_page import build_scheme_page

# Who may read the change history. The data-entry work adds AUDIT (everyone but HWB members);
# until it lands, whoever may view the area may read its history.
HISTORY_ACTION = getattr(access, "AUDIT", access.VIEW)


@require_GET
def scheme(request, area_code, ref):
    """A scheme's year (``?year=``, default its latest budget year): fields, months and history."""
    area = load_area(request.user, area_code)
    show_history = can(request.user, area, HISTORY_ACTION)
    year = year_param(request.GET)

    def build():
        page = build_scheme_page(area, ref, year, with_history=show_history)
        return {"page": page, "scheme": page.scheme}

    # Cached after the access check, per area, data version, scheme, year and whether history shows.
    return pagecache.render_cached_parts(
        request, "schemes/scheme.html", {"title": "schemes/_scheme_title.html",
                                         "breadcrumbs": "schemes/_scheme_breadcrumbs.html",
                                         "content": "schemes/_scheme_content.html"},
        key=pagecache.page_key("scheme", area, ref, year, show_history),
        context={"area": area, "show_history": show_history}, names=("page", "scheme"), build=build)
