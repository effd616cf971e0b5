"""Which years and areas the overview and comparison list.

Which years: the digest table, kept by every write (``digests``). The figures come from the engine, which works for many areas at once:
``bcf_dashboard.summary.area_year_summaries`` and ``metrics.selectors.metric_performances``.
"""

from digests import selectors as digests

from .models import Area


# Read from the digest table (one row per area-year) rather than the value tables: at national
# scale a DISTINCT over the monthly values took over half a second.
years_with_data = digests.years_with_data
latest_year_with_actuals = digests.latest_year_with_actuals


def visible_areas(queryset) -> list[Area]:
    """Areas in name order with their pool host, for listing."""
    return list(queryset.select_related("pool_host").order_by("name"))
