"""Signing in and out, and changing one's own password. django-axes watches the sign-in
form (see settings)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from musow.accounts import services
from musow.web.forms import SignInForm


class SignInView(auth_views.LoginView):
    """Django's sign-in, which also keeps the language signed in with (for e-mails)."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_language_remember(user=form.get_user(), language=get_language())
        return response


sign_in = SignInView.as_view(
    template_name="web/sign_in.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)
sign_out = auth_views.LogoutView.as_view()


@sensitive_post_parameters()
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Every signed-in person changes their own password (Django's validators); their
    other sessions end, this one stays."""
    form = PasswordChangeForm(request.user, request.POST or None)
    for name in ("old_password", "new_password1", "new_password2"):
        form.fields[name].widget.attrs.pop("autofocus", None)
    # What the validators ask, as one sentence each (Django's help is an HTML list).
    form.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_change_own_password(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            for name, found in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, found)
        else:
            update_session_auth_hash(request, user)  # this session stays signed in
            messages.success(
                request,
                _("Your password is changed. Your other sessions are signed out."),
            )
            return redirect("web:home")
    return render(request, "web/password_change.html", {"form": form})
