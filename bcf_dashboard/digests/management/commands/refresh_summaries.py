"""Work out every area-year's headline again and store it with its current version, and the area-year's
figures for its first views (``digests.figures``), every version moved first.

Run after loading figures by any route other than the application (COPY, a restore of
another database, SQL by hand): the application's own writes keep the digests current.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from bcf_dashboard.core.db_routers import reading_primary
from bcf_dashboard.digests.models import AreaYearDigest
from bcf_dashboard.digests.services import bump_everything, ensure, refresh
from funding.models import Contribution
from metrics.models import MetricValue
from schemes.models import SchemeYear


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        with reading_primary():
            self.refresh()

    def refresh(self):
        pairs = set(AreaYearDigest.objects.values_list("area_id", "financial_year"))
        pairs |= set(SchemeYear.objects.order_by().values_list("scheme__area_id", "financial_year").distinct())
        pairs |= set(MetricValue.objects.order_by().values_list("area_id", "period__financial_year").distinct())
        pairs |= set(Contribution.objects.order_by().values_list("area_id", "financial_year").distinct())
        # Figures loaded by another route moved no version: move them all, so no cached page or stored
        # copy of the figures (a quarter's too) from before the load is read again, then work them out.
        ensure(pairs)
        bump_everything()
        for year in sorted({year for _, year in pairs}):
            with transaction.atomic():
                found = refresh([pair for pair in pairs if pair[1] == year])
            self.stdout.write(f"{year}: {len(found)} area-years")
