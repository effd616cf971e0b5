"""The read API under /api/v1/ (token only: exempt from the sign-in requirement and from CSRF) and the
signed-in page where a person manages their tokens."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from bcf_dashboard.api import endpoints, views


def token_only(view_class):
    # REST framework's views are already CSRF-exempt; the token, not a session, says who is asking.
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("accounts/api-tokens/", views.tokens, name="api_tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", views.revoke, name="api_token_revoke"),
    path("api/v1/openapi.json", token_only(endpoints.OpenApiDocument), name="api_openapi"),
    path("api/v1/areas/", token_only(endpoints.Areas), name="api_areas"),
    path("api/v1/areas/<str:area_code>/<str:year>/summary", token_only(endpoints.Summary), name="api_summary"),
    path("api/v1/areas/<str:area_code>/<str:year>/returns", token_only(endpoints.Returns), name="api_returns"),
    re_path(
        r"^api/v1/(?P<rest>.*)$", login_not_required(csrf_exempt(endpoints.no_such_endpoint)), name="api_not_found"
    ),
]
