"""Every model's admin changelist, search, filters and add form render for a superuser."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_pages_render(admin_client, admin_user, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.search_fields:
        assert admin_client.get(changelist, {"q": "Bromley"}).status_code == 200
    request = RequestFactory().get(changelist)
    request.user = admin_user
    if model_admin.has_add_permission(request):
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_every_project_model_is_registered():
    from django.apps import apps

    ours = {"bcf_dashboard", "funding", "schemes", "metrics"}
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in ours
        and not m._meta.label.split(".")[1].startswith("Historical")
        and m not in admin.site._registry
    ]
    assert missing == []


def test_admin_shows_the_three_documents_data(admin_client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    schemes = admin_client.get(reverse("admin:schemes_scheme_changelist"), {"q": "Community Independence"})
    assert "Community Independence Service" in schemes.content.decode()  # seed 002, scheme A1
    southwark = admin_client.get(reverse("admin:schemes_schemeyear_changelist"), {"q": "Reablement grant"})
    assert "1813000" in southwark.content.decode().replace(",", "")  # seed 003, Scheme 3
    terms = admin_client.get(reverse("admin:funding_riskshareterms_changelist"), {"q": "Bromley"})
    assert "1323000" in terms.content.decode().replace(",", "")  # seed 000, section 12
