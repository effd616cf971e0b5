"""``manage.py create_api_token USERNAME [--expires-days N] [--name NAME]``: print a new API token once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bcf_dashboard.api.services import MAX_EXPIRY_DAYS, TokenRefused, make_token


class Command(BaseCommand):
    help = (
        "Make an API token for a person and print it once (only its hash is kept). It sees exactly the "
        "areas the person sees."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help=f"days until it expires (1 to {MAX_EXPIRY_DAYS}); without it, until revoked",
        )
        parser.add_argument("--name", default="Made with create_api_token", help="what the token is for")

    def handle(self, *args, username, expires_days, name, **options):
        owner = get_user_model().objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"no one has the username '{username}'")
        if not name.strip():
            raise CommandError("--name cannot be blank: say what the token is for")
        try:
            made = make_token(owner=owner, name=name[:100], expires_in_days=expires_days)
        except TokenRefused as refused:
            raise CommandError(str(refused)) from None
        expiry = made.token.expires_at.strftime("%Y-%m-%d %H:%M UTC") if made.token.expires_at else "never"
        self.stderr.write(
            f"API token '{made.token.name}' for {username}, expires {expiry}. It is shown only this once:"
        )
        self.stdout.write(made.text)
