"""Load the demo data from the seed documents, with demo users. Never in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.demo import DEMO_PASSWORD
from bcf_dashboard.demo.loader import load_demo
from bcf_dashboard.demo.management.commands.load_reference import describe


class Command(BaseCommand):
    help = (
        "Load national reference data and the demo areas (Bromley 2016/17, the tri-borough plan 2017-19, "
        "Southwark 2014/15) with demo users. Idempotent; refuses to run when PRODUCTION is set."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo refuses to run in production (BCF_PRODUCTION is set): it creates "
                "users with a published password. Use load_reference for reference data."
            )
        result = load_demo()
        out = self.stdout
        out.write("Demo data loaded (published figures cite their document; made-up ones say 'Illustrative:').")
        for name, schemes, scheme_values, metric_values in result.documents:
            out.write(f"  {name}: {schemes} schemes, {scheme_values} scheme values, {metric_values} metric values")
        out.write("Rows:")
        for line in describe(result.counter):
            out.write(line)
        out.write("")
        out.write(f"Demo logins (every password: {DEMO_PASSWORD})")
        width = max(len(username) for username, _, _ in result.logins)
        for username, name, access in result.logins:
            out.write(f"  {username:<{width}}  {name:<22}  {access}")
