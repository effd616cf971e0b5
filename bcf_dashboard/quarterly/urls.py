"""The quarterly summary's pages: the list of summaries, a summary and its PDF."""

from django.urls import path

from bcf_dashboard.quarterly import views

urlpatterns = [
    path("summaries/", views.summaries_start, name="summaries_start"),
    path("areas/<str:area_code>/summaries/", views.summaries, name="summaries"),
    path("areas/<str:area_code>/<int:year>/q<int:quarter>/summary/", views.summary, name="quarter_summary"),
    path("areas/<str:area_code>/<int:year>/q<int:quarter>/summary.pdf", views.summary_pdf, name="quarter_summary_pdf"),
    path(
        "areas/<str:area_code>/<int:year>/q<int:quarter>/summary-pdf/<int:pdf_id>/progress",
        views.summary_pdf_progress,
        name="quarter_summary_pdf_progress",
    ),
]
