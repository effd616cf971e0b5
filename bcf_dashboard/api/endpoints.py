"""The read API (docs/formats.md section 3): GET only, a bearer token only, errors as ``{"error": "plain words"}``.

Each endpoint is a REST framework view over what the signed-in pages already read: ``areas_for`` /
``load_area`` of the token's owner, the digests' flags for the years, the engine's summary document
and returns file. Nothing here works out a figure.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from bcf_dashboard.api.authentication import BearerTokenAuthentication
from bcf_dashboard.core import limits, periods
from bcf_dashboard.core.access import areas_for, load_area
from bcf_dashboard.digests import pagecache
from bcf_dashboard.digests import services as digest_services
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.digests.selectors import years_with_data
from bcf_dashboard.engine.document import summary_json
from bcf_dashboard.engine.returns_file import export_rows, file_rows, write_csv

RETURNS_FORMATS = ("csv", "json")
NO_TOKEN = (
    "Send an API token as the header 'Authorization: Bearer <token>'. Make one on your API tokens page "
    "(/accounts/api-tokens/) when signed in."
)


def error_response(exc, context):
    """Every refusal as ``{"error": "plain words"}`` with its status (the views' exception handler)."""
    headers = {}
    if isinstance(exc, Http404):
        status, message = 404, str(exc) or "Not found"
    elif isinstance(exc, PermissionDenied):
        status, message = 403, str(exc) or "Not allowed"
    elif isinstance(exc, exceptions.APIException):
        status = exc.status_code
        if isinstance(exc, exceptions.NotAuthenticated):
            message = NO_TOKEN
        elif isinstance(exc, exceptions.MethodNotAllowed):
            method = context["request"].method
            message = f"The read API only reads: use GET ({method} is not allowed here)."
        elif isinstance(exc.detail, (list, dict)):
            message = " ".join(
                str(item) for item in (exc.detail.values() if isinstance(exc.detail, dict) else exc.detail)
            )
        else:
            message = str(exc.detail)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = f"{exc.wait:.0f}"
    else:
        return None  # anything else is a fault: Django's 500 (or 503) handling and logging
    set_rollback()
    return Response({"error": message}, status=status, headers=headers)


class FirstRenderer(BaseContentNegotiation):
    """Each endpoint has one form of answer (the returns' CSV is chosen with ``?format=``): whatever a
    client's Accept header says (Excel and Power BI send their own), never a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReadOnly:
    """GET and HEAD only (405 before any token is looked at), token-only authentication, no caching
    by anyone but the client (the answer depends on whose token it is)."""

    http_method_names = ["get", "head"]
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    parser_classes = []
    throttle_classes = []
    content_negotiation_class = FirstRenderer
    metadata_class = None  # OPTIONS answers 405 like any other method

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return error_response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        patch_cache_control(response, private=True, no_cache=True)
        return response


class Endpoint(ReadOnly, APIView):
    pass


def checked_year(text: str) -> int:
    """The year in an address: a number (400 otherwise) within the product's years (404 otherwise)."""
    if not text.isascii() or not text.isdigit():
        raise exceptions.ParseError(
            f"'{text}' is not a year: give the year the financial year starts in, e.g. 2017 for 2017/18."
        )
    year = int(text)
    if not limits.year_in_range(year):
        raise exceptions.NotFound(
            f"No such financial year: {year} is outside {limits.FIRST_YEAR} to {limits.LAST_YEAR}."
        )
    return year


# ---- the OpenAPI description ------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="what went wrong, in plain words")


def _errors(*statuses):
    words = {
        400: "The year (or the format) is not one the API reads.",
        401: "No token, or a token that is not recognised, revoked or expired, or whose account is inactive.",
        404: "No such area, or the token's owner has no access to it; or a year outside the product's years.",
        405: "Any method but GET (and HEAD).",
    }
    return {status: OpenApiResponse(ErrorSerializer, description=words[status]) for status in statuses}


AREA_CODE = OpenApiParameter(
    "area_code", str, OpenApiParameter.PATH, description="ONS code of the area, e.g. E09000033"
)
YEAR = OpenApiParameter(
    "year", int, OpenApiParameter.PATH, description="the year the financial year starts in: 2017 means 2017/18"
)


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ONS code of the area")
    name = serializers.CharField()
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="financial years with data, oldest first (2017 means 2017/18)"
    )


class AreaListSerializer(serializers.Serializer):
    areas = AreaSerializer(many=True)


class ReturnRowSerializer(serializers.Serializer):
    """docs/formats.md section 1's columns, each as the text of the CSV's cell."""

    area_code = serializers.CharField(help_text="ONS code of the area")
    period = serializers.CharField(help_text="YYYY-MM, YYYY/YY-Qn or YYYY/YY")
    measure = serializers.CharField(help_text="a metric code, spend:<scheme ref> or activity:<scheme ref>")
    kind = serializers.CharField(help_text="plan or actual")
    value = serializers.CharField(help_text="the value as the file writes it: exact, no £ or separators")
    note = serializers.CharField(
        help_text="free text kept with the value; text a spreadsheet would run as a formula (= + - @) starts "
        "with an apostrophe, as in the file"
    )


# ---- the endpoints ----------------------------------------------------------------------------------


class OpenApiDocument(ReadOnly, SpectacularJSONAPIView):
    """The OpenAPI 3 document, readable without a token (it holds no data); a bad token is still a 401."""

    permission_classes = [AllowAny]
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]  # application/json first


class Areas(Endpoint):
    @extend_schema(
        operation_id="list_areas",
        summary="The areas the token can see",
        description="Each area the token's owner may see, with the financial years that have data.",
        responses={200: AreaListSerializer, **_errors(401, 405)},
    )
    def get(self, request):
        areas = list(areas_for(request.user).order_by("code"))
        years = defaultdict(list)
        for flag in digest_services.up_to_date_flags(areas):
            years[flag[0]].append(flag)
        return Response(
            {
                "areas": [
                    {"code": area.code, "name": area.name, "years": sorted(years_with_data(years[area.id]))}
                    for area in areas
                ]
            }
        )


class Summary(Endpoint):
    @extend_schema(
        operation_id="area_year_summary",
        summary="The area-year summary",
        description="The document of docs/formats.md section 2: the same bytes as the signed-in "
        "/api/areas/<code>/<year>/summary.json. Money as strings with two decimals.",
        parameters=[AREA_CODE, YEAR],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="docs/formats.md section 2"),
            **_errors(400, 401, 404, 405),
        },
    )
    def get(self, request, area_code, year):
        area = load_area(request.user, area_code.strip().upper())
        year = checked_year(year)
        # The signed-in summary.json's cache entry: one document, the same bytes at both addresses.
        body = pagecache.cached(
            pagecache.page_key("summary_json", area, year), lambda: summary_json(area_year_summary(area, year))
        )
        return HttpResponse(body, content_type="application/json")


class Returns(Endpoint):
    @extend_schema(
        operation_id="area_year_returns",
        summary="The area-year's values as a monthly returns file",
        description="Every stored plan and actual of the area's financial year in the columns of docs/formats.md "
        "section 1. CSV exactly as `manage.py export_returns` writes it (UTF-8 with a BOM); JSON a list "
        "of row objects with the same columns and text.",
        parameters=[
            AREA_CODE,
            YEAR,
            OpenApiParameter(
                "format", str, enum=list(RETURNS_FORMATS), default="csv", description="csv (the default) or json"
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="the returns file"),
            (200, "application/json"): ReturnRowSerializer(many=True),
            **_errors(400, 401, 404, 405),
        },
    )
    def get(self, request, area_code, year):
        area = load_area(request.user, area_code.strip().upper())
        year = checked_year(year)
        chosen = request.query_params.get("format", "csv").strip().lower()
        if chosen not in RETURNS_FORMATS:
            raise exceptions.ParseError(
                f"format '{chosen}' is not one the API writes: use ?format=csv or ?format=json."
            )
        rows = export_rows(area=area, financial_year=year)
        if chosen == "json":
            return Response(file_rows(rows))
        name = f"returns-{area.code}-{periods.year_label(year).replace('/', '-')}.csv"
        return HttpResponse(
            write_csv(rows),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def no_such_endpoint(request, rest):
    """Anything else under /api/v1/: a 404 in the API's own form, never the sign-in page."""
    return JsonResponse(
        {
            "error": f"No such address in the read API: /api/v1/{rest}. Its endpoints are "
            "described at /api/v1/openapi.json."
        },
        status=404,
    )
