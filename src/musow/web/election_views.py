"""Staff pages of elections (political participation): elections, an election's candidate
lists with their compliance with Law No. 2015-052, entering a list as a string of F/M per
position, and its workflow. Out-of-scope lists answer 404; viewers 403 (figures only)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.elections import services, summaries
from musow.elections.models import CandidateList, Election
from musow.web.access import entry_required, forbid_unless, records_required, validator_required
from musow.web.election_forms import ElectionForm, ListForm
from musow.web.history import history


def _election_or_404(request: HttpRequest, pk: int) -> Election:
    qs = scopes.elections_for(request.user).select_related("place", "process")
    return get_object_or_404(qs.defer("place__boundary"), pk=pk)


def _list_or_404(request: HttpRequest, pk: int) -> CandidateList:
    qs = scopes.candidate_lists_for(request.user).select_related("election", "place", "created_by")
    return get_object_or_404(qs.defer("place__boundary"), pk=pk)


def _visible_lists(request: HttpRequest, election: Election) -> list[CandidateList]:
    qs = scopes.candidate_lists_for(request.user).filter(election=election)
    return list(qs.select_related("place").defer("place__boundary").prefetch_related("candidates"))


@records_required
def election_list(request: HttpRequest) -> HttpResponse:
    visible = list(scopes.candidate_lists_for(request.user))
    elections = scopes.elections_for(request.user).select_related("place").defer("place__boundary")
    rows = []
    for election in elections:
        lists = [c for c in visible if c.election_id == election.pk]
        rows.append({"election": election, "summary": summaries.election_summary(lists)})
    context = {
        "rows": rows,
        "appointments": summaries.appointments(scopes.bodies_for(request.user)),
        "may_add": scopes.may_manage_elections(request.user),
    }
    return render(request, "web/elections/election_list.html", context)


@records_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election_or_404(request, pk)
    lists = _visible_lists(request, election)
    context = {
        "election": election,
        "rows": [summaries.list_row(c) for c in lists],
        "summary": summaries.election_summary(lists),
        "bars": _bars(summaries.election_summary(lists)),
        "may_enter": scopes.may_enter_lists(request.user),
    }
    return render(request, "web/elections/election_detail.html", context)


def _bars(summary: dict[str, Any]) -> dict[str, Any] | None:
    """Bars of the share of women among candidates and elected (SVG units, 320 wide),
    with the 30 % line of Law No. 2015-052 at x = 96."""
    shares = [
        (_("Candidates"), summary["candidates"].share if summary["candidates"] else None),
        (_("Elected"), summary["elected"].share if summary["elected"] else None),
    ]
    if all(share is None for _label, share in shares):
        return None
    rows = []
    for i, (label, share) in enumerate(shares):
        top = 18 + i * 40
        width = f"{320 * share:.1f}" if share is not None else "0"
        rows.append(
            {
                "label": label,
                "share": share,
                "label_y": top,
                "y": top + 5,
                "width": width,
                "line_top": top + 2,
                "line_bottom": top + 24,
            }
        )
    end = 18 + len(rows) * 40
    return {"rows": rows, "height": end + 16, "line_end": end, "caption_y": end + 12}


@validator_required
def election_new(request: HttpRequest) -> HttpResponse:
    form = ElectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_save(data=form.election_input(), user=request.user)
        except ValidationError as error:
            _errors_on(form, error)
        else:
            messages.success(request, _("The election is saved."))
            return redirect("elections:election", election.pk)
    return render(request, "web/elections/election_form.html", {"form": form})


@entry_required
def list_new(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election_or_404(request, pk)
    forbid_unless(scopes.may_enter_lists(request.user))
    form = ListForm(request.POST or None, election=election, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            return redirect("elections:list", saved.pk)
    return render(request, "web/elections/list_form.html", {"form": form, "election": election})


@entry_required
def list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_list = _list_or_404(request, pk)
    forbid_unless(scopes.may_edit_list(request.user, candidate_list))
    initial = ListForm.initial_for(candidate_list)
    election = candidate_list.election
    form = ListForm(request.POST or None, initial=initial, election=election, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, candidate_list)
        if saved is not None:
            return redirect("elections:list", saved.pk)
        if getattr(form, "stale", False):
            data = request.POST.copy()
            data["version"] = str(CandidateList.objects.get(pk=pk).version)
            errors = form.non_field_errors()
            form = ListForm(data, initial=initial, election=election, user=request.user)
            form.is_valid()
            for error in errors:
                form.add_error(None, error)
    context = {"form": form, "election": election, "candidate_list": candidate_list}
    return render(request, "web/elections/list_form.html", context)


def _errors_on(form: Any, error: ValidationError) -> None:
    for name, problems in getattr(error, "message_dict", {"": error.messages}).items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _save(
    request: HttpRequest, form: ListForm, candidate_list: CandidateList | None
) -> CandidateList | None:
    """Write through the service; on refusal, its messages go on the form's fields."""
    try:
        saved = services.list_save(
            data=form.list_input(),
            candidate_list=candidate_list,
            user=request.user,
            expected_version=(form.cleaned_data["version"] or 0) if candidate_list else None,
        )
        if request.POST.get("action") == "submit":
            services.list_submit(candidate_list=saved, user=request.user)
    except ValidationError as error:
        form.stale = getattr(error, "code", None) == "stale"  # type: ignore[attr-defined]
        _errors_on(form, error)
        return None
    messages.success(request, _("The list is saved."))
    return saved


@records_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_list = _list_or_404(request, pk)
    user = request.user
    context = {
        "row": summaries.list_row(candidate_list),
        "candidate_list": candidate_list,
        "positions": list(candidate_list.candidates.all()),
        "history": history(Entry.objects.for_target(candidate_list).select_related("actor")),
        "may_edit": scopes.may_edit_list(user, candidate_list),
        "may_validate": scopes.may_validate_list(user, candidate_list),
    }
    return render(request, "web/elections/list_detail.html", context)


@require_POST
@entry_required
def list_submit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_list = _list_or_404(request, pk)
    forbid_unless(scopes.may_edit_list(request.user, candidate_list))
    return _act(request, candidate_list, services.list_submit, _("Submitted for validation."))


@require_POST
@validator_required
def list_validate(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_list = _list_or_404(request, pk)
    return _act(request, candidate_list, services.list_validate, _("Validated."))


@require_POST
@validator_required
def list_return(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_list = _list_or_404(request, pk)
    comment = request.POST.get("comment", "")
    try:
        services.list_return(candidate_list=candidate_list, user=request.user, comment=comment)
        messages.success(request, _("Returned to its author."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("elections:list", candidate_list.pk)


def _act(
    request: HttpRequest,
    candidate_list: CandidateList,
    action: Callable[..., Any],
    done: str,
) -> HttpResponse:
    try:
        action(candidate_list=candidate_list, user=request.user)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("elections:list", candidate_list.pk)
