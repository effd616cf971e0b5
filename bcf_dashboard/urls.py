from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from metrics import views as metric_views
from schemes import views as scheme_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("compare/", views.compare, name="compare"),
    path("areas/<str:area_code>/", views.area, name="area"),
    path("areas/<str:area_code>/<int:year>/", views.area_year, name="area_year"),
    path("areas/<str:area_code>/schemes/<str:ref>/", scheme_views.scheme, name="scheme"),
    path("areas/<str:area_code>/metrics/<str:metric_code>/", metric_views.metric, name="metric"),
    path("api/areas/<str:area_code>/<int:year>/summary.json", views.summary_json, name="summary_json"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password reset: the same answer whether or not the address belongs to anyone (no enumeration).
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("", include("bcf_dashboard.returns.urls")),
    path("", include("bcf_dashboard.quarterly.urls")),
    path("admin/", admin.site.urls),
]

# A lost database connection (a restart, a failover) answers 503 "try again shortly", anything else 500.
handler500 = "bcf_dashboard.errors.server_error"
