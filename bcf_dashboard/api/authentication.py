"""``Authorization: Bearer <token>``: the read API's only way in (no session, so no CSRF to check).

The request's user is the token's owner, so every view's ``load_area``/``areas_for`` gives a token
exactly the areas its owner sees, never more.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from bcf_dashboard.api.services import TokenRefused, token_in_use

SCHEME = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None  # no token: the view's permission answers 401 with how to send one
        scheme, _, text = header.partition(" ")
        if scheme.lower() != SCHEME.lower() or not text.strip():
            raise exceptions.AuthenticationFailed(
                "Send the token as the header 'Authorization: Bearer <token>' (the word Bearer, a space, the token)."
            )
        try:
            token = token_in_use(text.strip())
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.owner, token

    def authenticate_header(self, request):
        # Present on every 401, which keeps the status 401 (REST framework answers 403 without one).
        return f'{SCHEME} realm="BCF Dashboard"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document names the scheme, so that tools prompt for a bearer token."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from your API tokens page (or `manage.py create_api_token`).",
        }
