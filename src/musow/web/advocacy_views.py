"""Staff pages of what women's organisations asked for and what the agreements say: a
submission with its recommendations and their follow-up, an agreement with its
signatories by sex and gender provisions; entry, the follow-up of a recommendation, and
the module's workflow. Records out of the user's sight answer 404."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.representation import advocacy_services as advocacy
from musow.representation.models import Agreement, GenderProvision, Recommendation, Submission
from musow.web.access import entry_required, forbid_unless, records_required, validator_required
from musow.web.advocacy_forms import AgreementForm, FollowUpForm, SubmissionForm
from musow.web.history import history
from musow.web.table_views import _body_or_404


def _submission_or_404(request: HttpRequest, pk: int) -> Submission:
    qs = scopes.submissions_for(request.user).select_related("body", "process", "created_by")
    return get_object_or_404(qs, pk=pk)


def _agreement_or_404(request: HttpRequest, pk: int) -> Agreement:
    qs = scopes.agreements_for(request.user).select_related("body", "process", "created_by")
    return get_object_or_404(qs, pk=pk)


def _put_errors(form: forms.Form, error: ValidationError) -> None:
    form.stale = getattr(error, "code", None) == "stale"  # type: ignore[attr-defined]
    for name, problems in getattr(error, "message_dict", {"": error.messages}).items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _keep_input_on_stale(
    request: HttpRequest, form: forms.Form, version: int, make: Callable[[Any], forms.Form]
) -> forms.Form:
    """Someone else saved first: keep the person's input, the next save knowingly on the
    new version, and say so."""
    if not getattr(form, "stale", False):
        return form
    data = request.POST.copy()
    data["version"] = str(version)
    errors = form.non_field_errors()
    form = make(data)
    form.is_valid()
    for error in errors:
        form.add_error(None, error)
    return form


# --- submissions ---------------------------------------------------------------------


@records_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    user = request.user
    recommendations = submission.recommendations.prefetch_related("steps__agreement")
    context = {
        "submission": submission,
        "organisations": submission.organisations.all(),
        "recommendations": recommendations,
        "history": history(Entry.objects.for_target(submission).select_related("actor")),
        "may_edit": scopes.may_edit_record(user, submission),
        "may_validate": scopes.may_validate_record(user, submission),
        "may_follow": scopes.may_follow_up(user, submission),
    }
    return render(request, "web/table/submission_detail.html", context)


def _submission_form(request: HttpRequest, body: Any, submission: Submission | None) -> Any:
    initial = SubmissionForm.initial_for(submission) if submission else {"kind": "memorandum"}

    def make(data: Any) -> SubmissionForm:
        return SubmissionForm(data, initial=initial, body=body)

    form: Any = make(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = advocacy.submission_save(
                data=form.submission_input(),
                submission=submission,
                user=request.user,
                expected_version=(form.cleaned_data["version"] or 0) if submission else None,
            )
            if request.POST.get("action") == "submit":
                advocacy.submission_submit(submission=saved, user=request.user)
        except ValidationError as error:
            _put_errors(form, error)
            if submission is not None:
                version = Submission.objects.get(pk=submission.pk).version
                form = _keep_input_on_stale(request, form, version, make)
        else:
            messages.success(request, _("The submission is saved."))
            return redirect("bodies:submission", saved.pk)
    context = {"form": form, "body": body, "submission": submission}
    return render(request, "web/table/submission_form.html", context)


@entry_required
def submission_new(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body_or_404(request, pk)
    forbid_unless(scopes.may_write_body(request.user, body))
    return _submission_form(request, body, None)


@entry_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    forbid_unless(
        scopes.may_edit_record(request.user, submission) and submission.body_id is not None
    )
    return _submission_form(request, submission.body, submission)


@require_POST
@entry_required
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, submission))
    return _act(
        request,
        lambda: advocacy.submission_submit(submission=submission, user=request.user),
        _("Submitted for validation."),
        "bodies:submission",
        pk,
    )


@require_POST
@validator_required
def submission_validate(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    return _act(
        request,
        lambda: advocacy.submission_validate(submission=submission, user=request.user),
        _("Validated."),
        "bodies:submission",
        pk,
    )


@require_POST
@validator_required
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    comment = request.POST.get("comment", "")
    return _act(
        request,
        lambda: advocacy.submission_return(
            submission=submission, user=request.user, comment=comment
        ),
        _("Returned to its author."),
        "bodies:submission",
        pk,
    )


@entry_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what came of one recommendation: acknowledged, reflected, not retained."""
    recommendations = Recommendation.objects.filter(
        submission__in=scopes.submissions_for(request.user)
    ).select_related("submission__body", "submission__process")
    recommendation = get_object_or_404(recommendations, pk=pk)
    submission = recommendation.submission
    forbid_unless(scopes.may_follow_up(request.user, submission))
    same_place = Q(body=submission.body) if submission.body_id else Q()
    if submission.process_id:
        same_place |= Q(process=submission.process)
    agreements = scopes.agreements_for(request.user).filter(same_place)
    initial = {"version": recommendation.version}

    def make(data: Any) -> FollowUpForm:
        return FollowUpForm(data, initial=initial, agreements=agreements)

    form: Any = make(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            advocacy.recommendation_follow(
                recommendation=recommendation,
                data=form.follow_up_input(),
                user=request.user,
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ValidationError as error:
            _put_errors(form, error)
            version = Recommendation.objects.get(pk=pk).version
            form = _keep_input_on_stale(request, form, version, make)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("bodies:submission", submission.pk)
    context = {
        "form": form,
        "recommendation": recommendation,
        "submission": submission,
        "steps": recommendation.steps.select_related("agreement"),
    }
    return render(request, "web/table/follow_up_form.html", context)


# --- agreements ----------------------------------------------------------------------


@records_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    user = request.user
    chosen = set(agreement.provisions.values_list("pk", flat=True))
    checklist = [(p, p.pk in chosen) for p in GenderProvision.objects.all()]
    reflected = (
        Recommendation.objects.filter(steps__agreement=agreement)
        .filter(submission__in=scopes.submissions_for(user))
        .select_related("submission")
        .distinct()
    )
    context = {
        "agreement": agreement,
        "checklist": checklist,
        "reflected": reflected,
        "history": history(Entry.objects.for_target(agreement).select_related("actor")),
        "may_edit": scopes.may_edit_record(user, agreement),
        "may_validate": scopes.may_validate_record(user, agreement),
    }
    return render(request, "web/table/agreement_detail.html", context)


def _agreement_form(request: HttpRequest, body: Any, agreement: Agreement | None) -> Any:
    initial = AgreementForm.initial_for(agreement) if agreement else {}

    def make(data: Any) -> AgreementForm:
        return AgreementForm(data, initial=initial, body=body)

    form: Any = make(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = advocacy.agreement_save(
                data=form.agreement_input(),
                agreement=agreement,
                user=request.user,
                expected_version=(form.cleaned_data["version"] or 0) if agreement else None,
            )
            if request.POST.get("action") == "submit":
                advocacy.agreement_submit(agreement=saved, user=request.user)
        except ValidationError as error:
            _put_errors(form, error)
            if agreement is not None:
                version = Agreement.objects.get(pk=agreement.pk).version
                form = _keep_input_on_stale(request, form, version, make)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("bodies:agreement", saved.pk)
    context = {"form": form, "body": body, "agreement": agreement}
    return render(request, "web/table/agreement_form.html", context)


@entry_required
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body_or_404(request, pk)
    forbid_unless(scopes.may_write_body(request.user, body))
    return _agreement_form(request, body, None)


@entry_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, agreement) and agreement.body_id is not None)
    return _agreement_form(request, agreement.body, agreement)


@require_POST
@entry_required
def agreement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, agreement))
    return _act(
        request,
        lambda: advocacy.agreement_submit(agreement=agreement, user=request.user),
        _("Submitted for validation."),
        "bodies:agreement",
        pk,
    )


@require_POST
@validator_required
def agreement_validate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    return _act(
        request,
        lambda: advocacy.agreement_validate(agreement=agreement, user=request.user),
        _("Validated."),
        "bodies:agreement",
        pk,
    )


@require_POST
@validator_required
def agreement_return(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    comment = request.POST.get("comment", "")
    return _act(
        request,
        lambda: advocacy.agreement_return(agreement=agreement, user=request.user, comment=comment),
        _("Returned to its author."),
        "bodies:agreement",
        pk,
    )


def _act(
    request: HttpRequest, action: Callable[[], Any], done: str, where: str, pk: int
) -> HttpResponse:
    try:
        action()
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(where, pk)
