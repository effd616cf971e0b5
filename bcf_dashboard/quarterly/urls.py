"""The quarterly summary's pages; included once from ``bcf_dashboard.urls``."""

from django.urls import path

from . import views

urlpatterns = [
    path("summaries/", views.summaries_start, name="summaries_start"),
    path("areas/<str:area_code>/summaries/", views.summaries, name="summaries"),
    path("areas/<str:area_code>/<int:year>/q<int:quarter>/summary/", views.summary, name="quarter_summary"),
    path("areas/<str:area_code>/<int:year>/q<int:quarter>/summary.pdf", views.summary_pdf,
         name="quarter_summary_pdf"),
]
