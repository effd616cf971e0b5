"""The finance officers' pages for monthly returns: entry, plan entry, upload with preview, the template."""

from django.urls import path, register_converter

from bcf_dashboard.returns import collation_views, views


class MonthConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MonthConverter, "month")

urlpatterns = [
    path("areas/<str:area_code>/entry/", views.entry_start, name="entry_start"),
    path("areas/<str:area_code>/entry/<month:month>/", views.entry, name="entry"),
    path("areas/<str:area_code>/plan/<month:month>/", views.entry, {"kind": "plan"}, name="plan_entry"),
    path("upload/", views.upload_start, name="upload_start"),
    path("upload/all-areas/", collation_views.collation_upload, name="collation_upload"),
    path("upload/all-areas/<str:token>/", collation_views.collation_job, name="collation_job"),
    path(
        "upload/all-areas/<str:token>/progress", collation_views.collation_job_progress, name="collation_job_progress"
    ),
    path("areas/<str:area_code>/upload/", views.upload, name="upload"),
    path("areas/<str:area_code>/upload/template.xlsx", views.upload_template, name="upload_template"),
    path("areas/<str:area_code>/upload/<str:token>/", views.upload_preview, name="upload_preview"),
    path("areas/<str:area_code>/upload/<str:token>/job/", views.upload_job, name="upload_job"),
    path(
        "areas/<str:area_code>/upload/<str:token>/job/progress", views.upload_job_progress, name="upload_job_progress"
    ),
]
