"""Staff pages for activities: find, enter, edit, validate, delete and restore.

Each view: access check -> form -> service (musow.activities.services) -> redirect or
render. Out-of-scope activities answer 404; the services decide what is allowed and
say why not in the user's language.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.activities import services
from musow.activities.models import Activity
from musow.audit.models import Entry
from musow.web import listing
from musow.web.access import activity_or_404, entry_required, forbid_unless, records_required
from musow.web.forms import ActivityFilterForm, ActivityForm
from musow.web.history import history
from musow.web.presenters import participation_table


@records_required
def activity_list(request: HttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None, user=request.user)
    page = None
    if not request.GET or form.is_valid():
        filters = form.cleaned_data if request.GET else {}
        qs = listing.activities_matching(request.user, filters)
        page = listing.keyset_page(
            qs, after=request.GET.get("after"), before=request.GET.get("before")
        )
        page.activities = listing.with_participants(page.activities)
        page.matching = listing.matching_count(qs)
    context = {
        "form": form,
        "page": page,
        "cap": listing.COUNT_CAP,
        "query": _query_without(request.GET, "after", "before"),
    }
    return render(request, "web/activity_list.html", context)


@records_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_or_404(request, pk, include_deleted=True)
    user = request.user
    context = {
        "activity": activity,
        "participation": participation_table(activity),
        "history": history(Entry.objects.for_target(activity).select_related("actor")),
        "may_edit": scopes.may_edit(user, activity),
        "may_validate": scopes.may_validate(user, activity),
        "may_manage": scopes.may_restore(user, activity),
    }
    return render(request, "web/activity_detail.html", context)


@entry_required
def activity_new(request: HttpRequest) -> HttpResponse:
    # A partner organisation's activities are its own: offer it as the organiser.
    initial = {"organiser": getattr(request.user, "organisation", None)}
    form = ActivityForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        activity = _save(request, form, None)
        if activity is not None:
            return redirect("web:activity", activity.pk)
    return render(request, "web/activity_form.html", {"form": form, "activity": None})


@entry_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_or_404(request, pk)
    forbid_unless(scopes.may_edit(request.user, activity))
    initial = ActivityForm.initial_for(activity)
    form = ActivityForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, activity)
        if saved is not None:
            return redirect("web:activity", saved.pk)
        if form.stale:
            # Keep the person's input; the next save is made, knowingly, on the new version.
            data = request.POST.copy()
            data["version"] = str(Activity.objects.get(pk=pk).version)
            form = _rebound(form, data, initial, request)
    return render(request, "web/activity_form.html", {"form": form, "activity": activity})


def _rebound(
    old: ActivityForm, data: QueryDict, initial: dict[str, Any], request: HttpRequest
) -> ActivityForm:
    form = ActivityForm(data, initial=initial, user=request.user)
    form.is_valid()
    for error in old.non_field_errors():
        form.add_error(None, error)
    form.stale = True
    return form


def _save(request: HttpRequest, form: ActivityForm, activity: Activity | None) -> Activity | None:
    """Write through the one write path; on refusal, put its messages on the form."""
    user = request.user
    submit = request.POST.get("action") == "submit"
    base = services.activity_input_from(activity) if activity is not None else None
    data = form.activity_input(base)
    form.stale = False
    if not scopes.may_write(user, data):
        form.add_error(None, _("You may only enter activities of your region or organisation."))
        return None
    try:
        with transaction.atomic():
            saved = services.activity_save(
                data=data,
                activity=activity,
                user=user,
                # An edit without the version it was made from counts as stale.
                expected_version=(form.cleaned_data["version"] or 0) if activity else None,
                origin="" if activity else _("entered by %(user)s") % {"user": user.get_username()},
            )
            if submit:
                services.activity_submit(activity=saved, user=user)
    except ValidationError as exc:
        form.stale = getattr(exc, "code", None) == "stale"
        form.add_service_errors(exc)
        return None
    if submit:
        messages.success(request, _("Submitted for validation."))
    elif saved.status in (Activity.Status.DRAFT, Activity.Status.RETURNED):
        messages.success(request, _("Saved as a draft."))
    else:
        messages.success(request, _("Saved."))
    return saved


def _transition(
    request: HttpRequest,
    pk: int,
    allowed: Callable[[Any, Activity], bool],
    action: Callable[..., Activity],
    done: str,
    **kwargs: Any,
) -> HttpResponse:
    activity = activity_or_404(request, pk, include_deleted=True)
    forbid_unless(allowed(request.user, activity))
    try:
        action(activity=activity, user=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("web:activity", pk)


@require_POST
@entry_required
def activity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, scopes.may_submit, services.activity_submit, _("Submitted for validation.")
    )


@require_POST
@entry_required
def activity_validate(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        scopes.may_validate,
        services.activity_validate,
        _("Validated: the activity now counts in official figures."),
    )


@require_POST
@entry_required
def activity_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        scopes.may_return,
        services.activity_return,
        _("Returned to its author with your comment."),
        comment=request.POST.get("comment", ""),
    )


@require_POST
@entry_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        scopes.may_delete,
        services.activity_delete,
        _("Deleted. A unit admin can restore it."),
        comment=request.POST.get("comment", ""),
    )


@require_POST
@entry_required
def activity_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        scopes.may_restore,
        services.activity_restore,
        _("Restored."),
    )


def _query_without(params: QueryDict, *names: str) -> str:
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
