"""Quarterly sign-off and agreeing a year's plan."""

from django.urls import path

from bcf_dashboard.signoff import views

urlpatterns = [
    path("areas/<str:area_code>/sign-off/", views.sign_off_start, name="signoff_start"),
    path("areas/<str:area_code>/sign-off/<int:year>/", views.sign_off, name="signoff"),
]
