"""The page for an unexpected error: 503 "briefly unavailable" when the database is out of reach, else 500.

Django calls ``server_error`` (``handler500``) while it handles the exception, wherever it was
raised: in a view, or in a middleware such as the session lookup that every signed-in request
makes first. A database restart or failover shows up as an ``OperationalError`` (no connection,
connection terminated) or an ``InterfaceError`` (connection already closed); that is not a bug
and will pass by itself, so the person is told to try again, with a ``Retry-After``, and a load
balancer sees 503 rather than 500. The traceback goes to the log (``django.request``), never to
the page. Both pages are rendered without the request: no context processor, so no query, runs
while the database may be down.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc``, or an exception it was raised from or while handling, lost the database."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


@requires_csrf_token
def server_error(request, template_name="500.html"):
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
