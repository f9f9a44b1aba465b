"""Staff pages of a body's sittings (a round of talks, a session): entering one with its
attendance as a role × sex grid, its page, and its workflow. Writes go through
`representation.services`; who may do what through `accounts.scopes`; out-of-scope
bodies and sittings answer 404."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.representation import services
from musow.representation.models import Body, Sitting
from musow.web.access import entry_required, forbid_unless, records_required, validator_required
from musow.web.history import history
from musow.web.table_forms import SittingForm
from musow.web.table_presenters import attendance_grid


def _body_or_404(request: HttpRequest, pk: int) -> Body:
    qs = scopes.bodies_for(request.user).select_related("process")
    return get_object_or_404(qs.defer("place__boundary"), pk=pk)


def _sitting_or_404(request: HttpRequest, pk: int) -> Sitting:
    qs = scopes.sittings_for(request.user).select_related("body", "body__process", "created_by")
    return get_object_or_404(qs, pk=pk)


@records_required
def sitting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _sitting_or_404(request, pk)
    user = request.user
    context = {
        "sitting": sitting,
        "record": sitting,
        "grid": attendance_grid(sitting),
        "history": history(Entry.objects.for_target(sitting).select_related("actor")),
        "may_edit": scopes.may_edit_record(user, sitting),
        "may_validate": scopes.may_validate_record(user, sitting),
        "edit_url": reverse("bodies:sitting-edit", args=[sitting.pk]),
        "submit_url": reverse("bodies:sitting-submit", args=[sitting.pk]),
        "validate_url": reverse("bodies:sitting-validate", args=[sitting.pk]),
        "return_url": reverse("bodies:sitting-return", args=[sitting.pk]),
    }
    return render(request, "web/table/sitting_detail.html", context)


@entry_required
def sitting_new(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body_or_404(request, pk)
    forbid_unless(scopes.may_write_body(request.user, body))
    form = SittingForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            return redirect("bodies:sitting", saved.pk)
    return render(request, "web/table/sitting_form.html", {"form": form, "body": body})


@entry_required
def sitting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _sitting_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, sitting))
    initial = SittingForm.initial_for(sitting)
    form = SittingForm(request.POST or None, initial=initial, body=sitting.body)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, sitting)
        if saved is not None:
            return redirect("bodies:sitting", saved.pk)
        if getattr(form, "stale", False):
            # Keep the person's input; the next save is made, knowingly, on the new version.
            data = request.POST.copy()
            data["version"] = str(Sitting.objects.get(pk=pk).version)
            errors = form.non_field_errors()
            form = SittingForm(data, initial=initial, body=sitting.body)
            form.is_valid()
            for error in errors:
                form.add_error(None, error)
    context = {"form": form, "body": sitting.body, "sitting": sitting}
    return render(request, "web/table/sitting_form.html", context)


def _save(request: HttpRequest, form: SittingForm, sitting: Sitting | None) -> Sitting | None:
    """Write through the service; on refusal, its messages go on the form's fields."""
    try:
        saved = services.sitting_save(
            data=form.sitting_input(),
            sitting=sitting,
            user=request.user,
            expected_version=(form.cleaned_data["version"] or 0) if sitting else None,
        )
        if request.POST.get("action") == "submit":
            services.sitting_submit(sitting=saved, user=request.user)
    except ValidationError as error:
        form.stale = getattr(error, "code", None) == "stale"  # type: ignore[attr-defined]
        for name, problems in getattr(error, "message_dict", {"": error.messages}).items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None
    messages.success(request, _("The sitting is saved."))
    return saved


@require_POST
@entry_required
def sitting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _sitting_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, sitting))
    return _act(request, sitting, services.sitting_submit, _("Submitted for validation."))


@require_POST
@validator_required
def sitting_validate(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _sitting_or_404(request, pk)
    return _act(request, sitting, services.sitting_validate, _("Validated."))


@require_POST
@validator_required
def sitting_return(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = _sitting_or_404(request, pk)
    comment = request.POST.get("comment", "")
    return _act(request, sitting, services.sitting_return, _("Returned to its author."), comment)


def _act(
    request: HttpRequest, sitting: Sitting, action: Any, done: str, *comment: str
) -> HttpResponse:
    try:
        if comment:
            action(sitting=sitting, user=request.user, comment=comment[0])
        else:
            action(sitting=sitting, user=request.user)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("bodies:sitting", sitting.pk)
