"""Who is asking: the client's address as sign-in throttling (django-axes) counts it."""

from django.conf import settings


def client_address(request) -> str:
    """The address the outermost trusted proxy saw, or the socket's peer when there is no proxy.

    Behind nginx every request comes from the proxy's address, which would make throttling per
    username only (anyone could lock anyone out). Each trusted proxy appends the address it saw to
    X-Forwarded-For, so with N of them the real client is the N-th entry from the right; anything
    further left was written by the client and is not believed.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
