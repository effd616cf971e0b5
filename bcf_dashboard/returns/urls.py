"""The finance officers' pages: entry, upload, history, sign-off, and staff's who-can-do-what page.

Included once from ``bcf_dashboard.urls``.
"""

from django.urls import path, register_converter

from bcf_dashboard import people
from bcf_dashboard.audit import views as audit_views
from bcf_dashboard.signoff import views as signoff_views

from . import views


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
    path("areas/<str:area_code>/upload/", views.upload, name="upload"),
    path("areas/<str:area_code>/upload/template.xlsx", views.upload_template, name="upload_template"),
    path("areas/<str:area_code>/upload/<str:token>/", views.upload_preview, name="upload_preview"),
    path("areas/<str:area_code>/history/", audit_views.area_history, name="area_history"),
    path("areas/<str:area_code>/schemes/<str:ref>/history/", audit_views.scheme_history, name="scheme_history"),
    path("areas/<str:area_code>/sign-off/", signoff_views.sign_off_start, name="signoff_start"),
    path("areas/<str:area_code>/sign-off/<int:year>/", signoff_views.sign_off, name="signoff"),
    path("people/", people.people, name="people"),
]
