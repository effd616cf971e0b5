"""The site's addresses: each feature's own ``urls.py``, Django's sign-in pages and the admin.

Names are global (``reverse("area_year", ...)``), as templates and other tools link by them.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bcf_dashboard.core import health, people
from bcf_dashboard.core.mail import BackgroundPasswordResetForm

urlpatterns = [
    path("health/", health.health, name="health"),
    path("people/", people.people, name="people"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password reset: the same answer whether or not the address belongs to anyone (no enumeration).
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=BackgroundPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("bcf_dashboard.dashboards.urls")),
    path("", include("bcf_dashboard.returns.urls")),
    path("", include("bcf_dashboard.signoff.urls")),
    path("", include("bcf_dashboard.planning.urls")),
    path("", include("bcf_dashboard.quarterly.urls")),
    path("", include("bcf_dashboard.audit.urls")),
    path("", include("bcf_dashboard.api.urls")),
    path("admin/", admin.site.urls),
]

# A lost database connection (a restart, a failover) answers 503 "try again shortly", anything else 500.
handler500 = "bcf_dashboard.core.errors.server_error"
