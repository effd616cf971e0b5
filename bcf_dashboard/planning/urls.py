"""The year's plan: its pages in the national template's order, its workflow and its workbook."""

from django.urls import path

from bcf_dashboard.planning import scheme_views, views, workbook_views

P = "areas/<str:area_code>/plan/<int:year>/"

urlpatterns = [
    path("areas/<str:area_code>/plan/", views.plan_start, name="plan_start"),
    path(P, views.plan, name="plan"),
    path(P + "income/", views.income, name="plan_income"),
    path(P + "expenditure/", views.expenditure, name="plan_expenditure"),
    path(P + "expenditure/new/", scheme_views.scheme, name="plan_scheme_new"),
    path(P + "expenditure/<str:ref>/", scheme_views.scheme, name="plan_scheme"),
    path(P + "expenditure/<str:ref>/profile/", scheme_views.scheme_profile, name="plan_scheme_profile"),
    path(P + "expenditure/<str:ref>/activity/", scheme_views.scheme_activity, name="plan_scheme_activity"),
    path(P + "expenditure/<str:ref>/end/", scheme_views.scheme_end, name="plan_scheme_end"),
    path(P + "metrics/", views.metrics, name="plan_metrics"),
    path(P + "risk-share/", views.risk_share, name="plan_risk_share"),
    path(P + "workbook.xlsx", workbook_views.export, name="plan_workbook"),
    path(P + "workbook/", workbook_views.upload, name="plan_workbook_upload"),
]
