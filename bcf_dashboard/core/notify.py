"""Telling people when something becomes theirs to do: mail through Django's email framework, sent once the
change that caused it is committed (the demo's backend prints it to the console)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from bcf_dashboard.core.models import Membership


def people(area, role, *, but=None) -> list[str]:
    """The addresses of the area's active members with ``role``, leaving out ``but`` (who acted)."""
    found = Membership.objects.filter(area=area, role=role, user__is_active=True).select_related("user")
    return sorted({m.user.email for m in found if m.user.email and m.user != but})


def address_of(user) -> list[str]:
    return [user.email] if user is not None and user.email else []


def name_of(user) -> str:
    return user.get_full_name() or user.username


def tell(addresses, subject: str, body: str) -> None:
    """Mail ``addresses`` after the current transaction commits; a mail server's failure never undoes the step."""
    if addresses:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(addresses), fail_silently=True)
        )
