"""Session limits: signed out after 30 minutes without a request, and 12 hours after signing in.

The session itself keeps two times (seconds since the epoch): when the person signed in and
when they were last seen. Last seen is refreshed at most once a minute, so an ordinary page
view writes nothing (pages have a query budget) and the idle limit is exact to within that
minute. The absolute limit is needed because every refresh saves the session and so pushes
its expiry (SESSION_COOKIE_AGE) forward.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "bcf_signed_in_at"
LAST_SEEN_AT = "bcf_last_seen_at"
REFRESH_EVERY = 60


def now() -> float:
    """The clock, in one place so tests can move it."""
    return time.time()


def idle_limit() -> int:
    return settings.SESSION_IDLE_TIMEOUT


def absolute_limit() -> int:
    return settings.SESSION_ABSOLUTE_TIMEOUT


@receiver(user_logged_in, dispatch_uid="bcf_session_limits_start")
def start_clock(sender, request, user, **kwargs):
    # Set at sign-in, inside the login's own session save, so the first page after it writes nothing.
    if request is not None and hasattr(request, "session"):
        moment = now()
        request.session[SIGNED_IN_AT] = moment
        request.session[LAST_SEEN_AT] = moment


def ended_because(session, moment: float) -> str | None:
    """Why a signed-in session is over, or None while it is still good."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is not None and moment - signed_in_at > absolute_limit():
        hours = absolute_limit() // 3600
        return f"You were signed out because it is more than {hours} hours since you signed in. Please sign in again."
    if last_seen_at is not None and moment - last_seen_at > idle_limit():
        minutes = idle_limit() // 60
        return f"You were signed out after {minutes} minutes without activity. Please sign in again."
    return None


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. An ended session is signed out and the
    request goes on as anonymous, so LoginRequiredMiddleware sends it to the sign-in page (with
    ``next``) where the message explains why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            moment = now()
            reason = ended_because(request.session, moment)
            if reason:
                logout(request)
                messages.warning(request, reason)
            else:
                self._keep_alive(request.session, moment)
        return self.get_response(request)

    @staticmethod
    def _keep_alive(session, moment: float) -> None:
        if SIGNED_IN_AT not in session:  # a session from before these limits: start its clocks now
            session[SIGNED_IN_AT] = moment
        last_seen_at = session.get(LAST_SEEN_AT)
        if last_seen_at is None or moment - last_seen_at >= REFRESH_EVERY:
            session[LAST_SEEN_AT] = moment
