"""python manage.py export_plan AREA_CODE YEAR [--output FILE]: an area-year's planning workbook."""

from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area
from bcf_dashboard.planning.workbook import plan_workbook


class Command(BaseCommand):
    help = "Write an area-year's plan as the planning workbook (docs/formats.md section 4)."

    def add_arguments(self, parser):
        parser.add_argument("area_code")
        parser.add_argument("year", help="The financial year: 2017/18 or 2017")
        parser.add_argument("--output", help="The file to write; plan-AREA-YEAR.xlsx if not given")

    def handle(self, *args, area_code, year, output=None, **options):
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise CommandError(f"There is no area {area_code}: give its ONS code, e.g. E09000006")
        try:
            year = int(year) if year.isdigit() else periods.parse_year(year)
        except ValueError:
            raise CommandError(f"'{year}' is not a financial year: write it as 2017/18") from None
        output = output or f"plan-{area.code}-{periods.year_label(year).replace('/', '-')}.xlsx"
        with open(output, "wb") as out:
            out.write(plan_workbook(area, year))
        self.stdout.write(f"Wrote the {area.name} {periods.year_label(year)} plan to {output}")
