"""The account's API tokens page (session, like every staff page): create a token (shown
once), list one's own with their expiry and last use, revoke them; the unit admin also
sees and revokes everyone's. Writes through musow.api.services (audited)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from musow.accounts import scopes
from musow.api import services
from musow.api.models import Token


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “CAFO monthly export script”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=services.MAX_DAYS,
        initial=settings.API_TOKEN_DAYS,
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form = TokenForm(initial={"days": settings.API_TOKEN_DAYS})
    mine = Token.objects.filter(user_id=request.user.pk or 0).select_related("revoked_by")
    others = None
    if scopes.can_manage(request.user):
        others = (
            Token.objects.exclude(user_id=request.user.pk or 0)
            .filter(revoked_at__isnull=True)
            .select_related("user")
        )
    context = {"form": form, "secret": secret, "tokens": mine, "others": others}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(Token, pk=pk)
    if not scopes.may_revoke_token(request.user, owner_id=token.user_id):
        # Someone else's token: as if it did not exist.
        raise Http404
    try:
        services.token_revoke(token=token, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Token revoked: it no longer opens the API."))
    return redirect("tokens:list")
