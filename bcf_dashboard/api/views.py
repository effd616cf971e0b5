"""The signed-in page where a person makes, lists and revokes their own API tokens (nobody else's: 404).

A new token is shown on the answer to the POST that made it and nowhere else: it is never stored, nor
put in the session, nor in a message.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from bcf_dashboard.api import services
from bcf_dashboard.api.forms import NewTokenForm
from bcf_dashboard.api.models import ApiToken


@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    form = NewTokenForm(request.POST or None)
    new_token, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            made = services.make_token(
                owner=request.user, name=form.cleaned_data["name"], expires_in_days=form.cleaned_data["expires_in_days"]
            )
            new_token, form = made, NewTokenForm()
        else:
            status = 400
    listed = ApiToken.objects.filter(owner=request.user)
    now = timezone.now()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": [(token, token.state(now)) for token in listed],
            "base_url": request.build_absolute_uri("/api/v1/"),
        },
        status=status,
    )
    add_never_cache_headers(response)  # the page may show a token: no cache keeps a copy
    return response


@require_POST
def revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, owner=request.user)
    if services.revoke_token(token=token):
        messages.success(request, f"Revoked '{token.name}': anything using it can no longer read the API.")
    else:
        messages.info(request, f"'{token.name}' was already revoked.")
    return redirect("api_tokens")
