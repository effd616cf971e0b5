import json

from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.core import periods
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR, year_in_range
from bcf_dashboard.core.models import Area
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.engine.document import summary_document


class Command(BaseCommand):
    help = "Print an area's financial-year summary as JSON (docs/formats.md section 2)."

    def add_arguments(self, parser):
        parser.add_argument("area_code", help="ONS code, e.g. E09000033")
        parser.add_argument("year", help="The year the financial year starts in (2017) or 2017/18")

    def handle(self, *args, area_code, year, **options):
        try:
            start = periods.parse_year(year)
        except periods.PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if not year_in_range(start):
            raise CommandError(f"{year} is not a financial year the product keeps ({FIRST_YEAR} to {LAST_YEAR})")
        area = Area.objects.filter(code=area_code.strip().upper()).first()
        if area is None:
            raise CommandError(f"No area has the code '{area_code}'")
        self.stdout.write(json.dumps(summary_document(area_year_summary(area, start)), indent=2))
