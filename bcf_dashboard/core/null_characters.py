"""Refusing requests that carry a NUL character: no browser form sends one, and PostgreSQL holds none.

Django's forms refuse NUL (``ProhibitNullCharactersValidator``), but the views that read
``request.GET`` or ``request.POST`` themselves (filters, sign-off reasons, codes in the path)
would hand it to a query, where PostgreSQL's driver raises ``ValueError``: a 500 on PostgreSQL,
a stored NUL on SQLite. It is checked here once for the path and the query string, and for a
posted body where the CSRF check reads it anyway. A view that is exempt from that check reads
its own body (the upload page sets its size limit first) and checks its text fields with ``has_null``.
"""

from django.views.defaults import bad_request

NUL = "\x00"


def has_null(text: str) -> bool:
    return NUL in text


def _carries_null(query) -> bool:
    return any(has_null(key) or any(has_null(value) for value in values) for key, values in query.lists())


def _refused(request):
    return bad_request(request, ValueError("a NUL character in the request"))


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_null(request.path) or _carries_null(request.GET):
            return _refused(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False) and _carries_null(request.POST):
            return _refused(request)
        return None
