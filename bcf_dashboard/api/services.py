"""Making, checking and revoking API tokens.

A token is ``bcf_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, the sha256 of the
whole token is compared in constant time. 32 random bytes of secret cannot be guessed, so failed
attempts need no throttling; the hash means a copy of the database gives no working token.
"""

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bcf_dashboard.api.models import ApiToken

PREFIX = "bcf_"
PREFIX_PATTERN = re.compile(r"[0-9a-f]{8}")
MAX_EXPIRY_DAYS = 3650
# last_used_at is stored at most this often per token: one write per refresh of a report, not per request.
LAST_USED_EVERY = datetime.timedelta(minutes=5)


class TokenRefused(Exception):
    """The token cannot be used: the message says why in plain words."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    text: str  # the token itself, shown once and never stored


def hash_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def make_token(*, owner, name: str, expires_in_days: int | None = None) -> NewToken:
    """A new token for ``owner``; ``expires_in_days`` from now, or never."""
    if not owner.is_active:
        raise TokenRefused(f"{owner.get_username()}'s account is inactive: its tokens would not work")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise TokenRefused(f"a token expires after 1 to {MAX_EXPIRY_DAYS} days, not {expires_in_days}")
    while True:  # 8 hex characters: a clash is rare, and then another is drawn
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    text = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_of(text),
        created_at=now,
        expires_at=now + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return NewToken(token=token, text=text)


@transaction.atomic
def revoke_token(*, token: ApiToken) -> bool:
    """Revoke ``token`` (the caller has checked it is the person's own). False if it already was."""
    return bool(ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def token_in_use(text: str) -> ApiToken:
    """The token this text is, with its owner, if it may be used now; else ``TokenRefused`` saying why.

    One query, and a write of ``last_used_at`` at most every ``LAST_USED_EVERY``."""
    parts = text.split("_", 2)  # the secret itself may hold "_"
    found = None
    # Only a well-formed prefix is looked up: nothing else a client sends (a NUL, any length) reaches a query.
    if len(parts) == 3 and f"{parts[0]}_" == PREFIX and PREFIX_PATTERN.fullmatch(parts[1]):
        found = ApiToken.objects.select_related("owner").filter(prefix=parts[1]).first()
    if found is None or not hmac.compare_digest(found.secret_hash, hash_of(text)):
        raise TokenRefused("This API token is not recognised: check it was copied whole, or make a new one.")
    now = timezone.now()
    if found.revoked_at is not None:
        raise TokenRefused("This API token has been revoked: make a new one on your API tokens page.")
    if found.expires_at is not None and found.expires_at <= now:
        when = timezone.localtime(found.expires_at).strftime("%-d %B %Y %H:%M")
        raise TokenRefused(f"This API token expired on {when}: make a new one on your API tokens page.")
    if not found.owner.is_active:
        raise TokenRefused("The account this API token belongs to is inactive.")
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
