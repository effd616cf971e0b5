"""The dashboards: the overview, the comparison, an area-year, a scheme, a metric and the summary JSON."""

from django.urls import path

from bcf_dashboard.dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("areas/<str:area_code>/", views.area, name="area"),
    path("areas/<str:area_code>/<int:year>/", views.area_year, name="area_year"),
    path("areas/<str:area_code>/schemes/<str:ref>/", views.scheme, name="scheme"),
    path("areas/<str:area_code>/metrics/<str:metric_code>/", views.metric, name="metric"),
    path("api/areas/<str:area_code>/<int:year>/summary.json", views.summary_json, name="summary_json"),
    # The area-year's monthly returns file (docs/formats.md section 1), as export_returns writes it.
    path(
        "areas/<str:area_code>/<int:year>/returns.csv", views.returns_file, {"file_format": "csv"}, name="returns_csv"
    ),
    path(
        "areas/<str:area_code>/<int:year>/returns.xlsx",
        views.returns_file,
        {"file_format": "xlsx"},
        name="returns_xlsx",
    ),
]
