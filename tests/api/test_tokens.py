"""API tokens: stored hashed, shown once, revoked and expired by their owner only, and the command."""

import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from bcf_dashboard.api import services
from bcf_dashboard.api.models import ApiToken
from tests.api.conftest import BASE, bearer, token_for

PAGE = "/accounts/api-tokens/"


def areas_status(client, token):
    return client.get(f"{BASE}/areas/", **bearer(token)).status_code


# ---- the service ------------------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(personas):
    made = services.make_token(owner=personas.finance_a, name="Power BI")
    stored = ApiToken.objects.get()
    assert made.text.startswith(f"bcf_{stored.prefix}_") and len(made.text) > 40
    assert stored.secret_hash == hashlib.sha256(made.text.encode()).hexdigest()
    every_field = " ".join(str(getattr(stored, f.attname)) for f in ApiToken._meta.fields)
    assert made.text not in every_field and made.text.split("_", 2)[2] not in every_field


def test_a_token_finds_its_owner_and_notes_when_it_was_used(personas):
    text = token_for(personas.finance_a)
    assert ApiToken.objects.get().last_used_at is None
    assert services.token_in_use(text).owner == personas.finance_a
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "tampered",
    [
        "",
        "bcf_",
        "bcf_00000000_x",
        "nonsense",
        "bcf_{prefix}_wrong-secret",
        "bcf_{prefix}\x00_x",
        "bcf_" + "9" * 5000 + "_x",
        "bcf_ABCDEF12_x",
    ],
)
def test_a_wrong_token_is_not_recognised(personas, tampered):
    made = services.make_token(owner=personas.finance_a, name="x")
    with pytest.raises(services.TokenRefused, match="not recognised"):
        services.token_in_use(tampered.format(prefix=made.token.prefix))


def test_revoked_expired_and_inactive_are_refused_saying_why(personas, client):
    revoked, expired, inactive = (services.make_token(owner=personas.finance_a, name=n) for n in "abc")
    services.revoke_token(token=revoked.token)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for made, words in ((revoked, "revoked"), (expired, "expired on")):
        with pytest.raises(services.TokenRefused, match=words):
            services.token_in_use(made.text)
    personas.finance_a.is_active = False
    personas.finance_a.save()
    with pytest.raises(services.TokenRefused, match="inactive"):
        services.token_in_use(inactive.text)
    assert [areas_status(client, made.text) for made in (revoked, expired, inactive)] == [401, 401, 401]


def test_a_token_with_days_left_works_and_expires_after_them(personas):
    made = services.make_token(owner=personas.finance_a, name="x", expires_in_days=30)
    left = made.token.expires_at - timezone.now()
    assert datetime.timedelta(days=29, hours=23) < left <= datetime.timedelta(days=30)
    assert services.token_in_use(made.text) == made.token


@pytest.mark.parametrize("days", [0, -1, services.MAX_EXPIRY_DAYS + 1])
def test_an_expiry_out_of_range_is_refused(personas, days):
    with pytest.raises(services.TokenRefused, match="1 to"):
        services.make_token(owner=personas.finance_a, name="x", expires_in_days=days)
    assert not ApiToken.objects.exists()


# ---- the page ---------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_new_token_is_shown_once_and_works(client, personas):
    client.force_login(personas.commissioner_a)
    response = client.post(PAGE, {"name": "Power BI finance report", "expires_in_days": "90"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    stored = ApiToken.objects.get()
    assert stored.owner == personas.commissioner_a and stored.name == "Power BI finance report"
    page = response.content.decode()
    text = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert text.startswith(f"bcf_{stored.prefix}_") and "shown only this once" in page
    assert areas_status(client, text) == 200
    again = client.get(PAGE).content.decode()
    assert text not in again and f"bcf_{stored.prefix}_" in again and "Power BI finance report" in again


def test_an_empty_name_or_bad_expiry_is_a_form_error_and_makes_nothing(client, personas):
    client.force_login(personas.finance_a)
    for data in ({"name": "  "}, {"name": "x", "expires_in_days": "0"}, {"name": "x", "expires_in_days": "soon"}):
        response = client.post(PAGE, data)
        assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_the_persons_own_tokens(client, personas):
    token_for(personas.finance_a, name="Mine for Excel")
    token_for(personas.user_b, name="Southwark's R script")
    client.force_login(personas.finance_a)
    page = client.get(PAGE).content.decode()
    assert "Mine for Excel" in page and "Southwark" not in page


def test_revoking_a_token_stops_it(client, personas):
    text = token_for(personas.finance_a, name="Excel")
    token = ApiToken.objects.get()
    client.force_login(personas.finance_a)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert ApiToken.objects.get().revoked_at is not None
    assert areas_status(client, text) == 401
    assert "Revoked" in client.get(PAGE).content.decode()


def test_nobody_revokes_anyone_elses_token_not_even_staff(client, personas):
    text = token_for(personas.user_b)
    token = ApiToken.objects.get()
    for someone in (personas.finance_a, personas.staff):
        client.force_login(someone)
        assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    client.force_login(personas.user_b)
    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.get().revoked_at is None and areas_status(client, text) == 200


# ---- the command ------------------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_a_working_token_once(client, personas):
    out, err = command("finance_b", "--expires-days", "7")
    text = out.strip()
    assert out.count("bcf_") == 1 and "shown only this once" in err and text not in err
    token = ApiToken.objects.get()
    assert token.owner == personas.user_b and token.expires_at is not None
    assert token.secret_hash == hashlib.sha256(text.encode()).hexdigest()
    response = client.get(f"{BASE}/areas/", **bearer(text))
    assert [a["code"] for a in response.json()["areas"]] == [personas.area_b.code]


def test_the_command_without_expiry_makes_a_token_that_lasts(personas):
    command("finance_a")
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    "args, words",
    [
        (["nobody"], "no one has the username 'nobody'"),
        (["finance_a", "--expires-days", "0"], "expires after 1 to"),
    ],
)
def test_the_command_refuses_clearly(personas, args, words):
    with pytest.raises(CommandError, match=words):
        command(*args)
    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_inactive_account(personas):
    personas.hwb_a.is_active = False
    personas.hwb_a.save()
    with pytest.raises(CommandError, match="inactive"):
        command("hwb_a")


def test_every_signed_in_page_links_to_the_token_page(client, personas):
    client.force_login(personas.hwb_a)
    assert f'href="{PAGE}"' in client.get("/").content.decode()
