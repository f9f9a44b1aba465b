"""Users and roles, managed by the unit admin (writes through musow.accounts.services,
audited)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from musow.accounts import services
from musow.accounts.models import User
from musow.audit.models import Entry
from musow.web.access import manager_required
from musow.web.forms import NewUserForm, UserForm
from musow.web.history import history


@manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        User.objects.select_related("organisation")
        .prefetch_related("regions")
        .order_by("-is_active", "username")
    )
    context = {"users": users, "locked": services.usernames_locked_out()}
    return render(request, "web/user_list.html", context)


@manager_required
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                **form.values(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Account created."))
            return redirect("web:user", user.pk)
    return render(request, "web/user_form.html", {"form": form, "account": None})


@manager_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, initial=UserForm.initial_for(account))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=account, **form.values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Account saved."))
            return redirect("web:user", pk)
    context = {
        "form": form,
        "account": account,
        "history": history(Entry.objects.for_target(account).select_related("actor")[:50]),
        "locked": account.username in services.usernames_locked_out(),
    }
    return render(request, "web/user_form.html", context)


@manager_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=account, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("new_password1", message)
        else:
            if account.pk == request.user.pk:
                update_session_auth_hash(request, account)  # stay signed in
            messages.success(request, _("Password set."))
            return redirect("web:user", pk)
    return render(request, "web/user_password.html", {"form": form, "account": account})
