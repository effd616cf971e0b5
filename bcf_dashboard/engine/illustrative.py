"""Which of an area-year's figures are made up (the demo's, or any marked so): pages say so where they show them.

A value whose note starts "Illustrative:" and a population whose source does are not from a document or
an official return; a page showing them carries a visible mark, not only the README.
"""

from django.db.models import Q

from bcf_dashboard.core.limits import ILLUSTRATIVE_MARK
from bcf_dashboard.core.models import Population
from metrics.models import MetricValue
from schemes.models import SchemeValue

MARK = ILLUSTRATIVE_MARK


def illustrative_in(area, year: int) -> dict:
    """``{"figures": bool, "populations": bool}`` for the area's financial ``year`` (three small queries)."""
    figures = (
        MetricValue.objects.filter(area=area, period__financial_year=year, note__startswith=MARK).exists()
        or SchemeValue.objects.filter(scheme__area=area, period__financial_year=year, note__startswith=MARK).exists()
    )
    populations = Population.objects.filter(Q(year__lte=year), area=area, source__startswith=MARK).exists()
    return {"figures": figures, "populations": populations}


def population_is_illustrative(source: str) -> bool:
    return (source or "").startswith(MARK)
