"""``manage.py export_returns AREA_CODE YEAR [--format csv|xlsx] [--output FILE]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area
from bcf_dashboard.returns.exporting import export_rows, write_csv, write_xlsx


class Command(BaseCommand):
    help = "Write an area's plan and actual values for a financial year as a monthly returns file."

    def add_arguments(self, parser):
        parser.add_argument("area_code", help="ONS code of the area, e.g. E09000006")
        parser.add_argument("year", help="the financial year: 2017 or 2017/18")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="file to write; CSV goes to standard output without it")

    def handle(self, *args, area_code, year, format, output, **options):
        try:
            financial_year = periods.parse_year(year)
        except periods.PeriodError as exc:
            raise CommandError(str(exc)) from None
        area = Area.objects.filter(code=area_code.strip().upper()).first()
        if area is None:
            raise CommandError(f"no area has the code '{area_code}'")
        rows = export_rows(area=area, financial_year=financial_year)
        if format == "xlsx":
            if not output:
                raise CommandError("an XLSX workbook is binary: give --output FILE")
            Path(output).write_bytes(write_xlsx(rows))
        elif output:
            Path(output).write_bytes(write_csv(rows))
        else:
            # No BOM on a terminal or pipe.
            self.stdout.write(write_csv(rows, bom=False).decode("utf-8"), ending="")
        if output:
            self.stderr.write(f"{len(rows)} rows written to {output}")
