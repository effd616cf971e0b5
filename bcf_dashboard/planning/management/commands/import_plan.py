"""python manage.py import_plan FILE [--dry-run] [--user USERNAME] [--reason TEXT]: a planning workbook back in.

Every change is listed first; with --dry-run nothing is written. All or nothing: any error (each with
its sheet and cell) and nothing is written. The user must be a finance officer of the workbook's area
(or staff); an agreed plan changes only with --reason.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import workbook_import


class Command(BaseCommand):
    help = "Read a planning workbook (docs/formats.md section 4) into the area-year's plan."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="List the changes; write nothing")
        parser.add_argument("--user", help="Whose change it is (a finance officer of the area, or staff)")
        parser.add_argument("--reason", default="", help="Why an agreed plan is revised")

    def handle(self, *args, file, dry_run=False, user=None, reason="", **options):
        who = self._user(user)
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        reading = workbook_import.read(content, user=who, reason=reason)
        if not reading.ok:
            for error in reading.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(reading.errors)} error(s): nothing was written")
        for change in reading.changes:
            self.stdout.write(change)
        if dry_run:
            self.stdout.write(f"Dry run: {len(reading.changes)} change(s) would be made; nothing was written")
            return
        try:
            count = workbook_import.apply(reading, user=who, reason=reason)
        except PlanRefused as refused:
            raise CommandError(f"{refused}: nothing was written") from None
        self.stdout.write(f"Applied {count} change(s) to {reading.area.name}'s plan")

    def _user(self, username):
        users = get_user_model().objects
        if username:
            found = users.filter(username=username, is_active=True).first()
            if found is None:
                raise CommandError(f"There is no active user {username}")
            return found
        found = users.filter(is_staff=True, is_active=True).order_by("id").first()
        if found is None:
            raise CommandError("Give --user: there is no staff user to act as")
        return found
