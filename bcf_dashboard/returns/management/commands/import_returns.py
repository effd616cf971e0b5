"""``manage.py import_returns FILE [--dry-run] [--user USERNAME]``: apply a monthly returns file.

A file over ``BCF_BACKGROUND_UPLOAD_BYTES`` (a national collation) is read and applied in chunks, as the
worker does, with the rows done printed as it goes; the rules and the all-or-nothing are the same.
"""

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns.collation import import_in_chunks
from bcf_dashboard.returns.services import import_returns


class Command(BaseCommand):
    help = (
        "Check a monthly returns file (CSV or XLSX, docs/formats.md section 1) and apply it all or nothing. "
        "Every error is listed and the exit code is non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, but write nothing")
        parser.add_argument(
            "--user",
            help="apply as this user, limited to the areas they may edit; without it every area may be changed",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="why an agreed plan is revised (required to change the "
            "plan figures of an agreed area-year); kept with the batch",
        )

    def handle(self, *args, file, dry_run, user, reason, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        account = None
        if user:
            try:
                account = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user is called '{user}'") from None
        arguments = dict(
            content=content,
            file_name=path.name,
            user=account,
            dry_run=dry_run,
            source=ImportBatch.Source.COMMAND,
            reason=reason,
        )
        if len(content) > settings.BCF_BACKGROUND_UPLOAD_BYTES:
            result = import_in_chunks(**arguments, progress=self._progress(time.monotonic()))
        else:
            result = import_returns(**arguments)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.more_errors:
                self.stderr.write(
                    f"and {result.more_errors:,} more error{'s' if result.more_errors != 1 else ''} "
                    f"(only the first {len(result.errors):,} are listed)"
                )
            count = result.error_count
            raise CommandError(f"{count:,} error{'s' if count != 1 else ''} in {path.name}: nothing was written")
        counts = (
            f"rows: {result.rows}, created: {result.created}, updated: {result.updated}, "
            f"unchanged: {result.unchanged}, left blank: {result.blank}"
        )
        if dry_run:
            self.stdout.write(f"{counts} (dry run: nothing was written)")
        else:
            self.stdout.write(f"{counts} (import batch {result.batch.pk})")

    def _progress(self, started):
        def report(done, total):
            self.stderr.write(f"{done:,} of {total:,} rows checked ({time.monotonic() - started:,.1f} s)")

        return report
