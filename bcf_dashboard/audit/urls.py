"""The change history of an area and of a scheme."""

from django.urls import path

from bcf_dashboard.audit import views

urlpatterns = [
    path("areas/<str:area_code>/history/", views.area_history, name="area_history"),
    path("areas/<str:area_code>/schemes/<str:ref>/history/", views.scheme_history, name="scheme_history"),
]
