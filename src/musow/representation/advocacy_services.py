"""Writes for what women's organisations asked for and what the agreements say:
submissions (a memorandum, a list of recommendations, a declaration) and the follow-up
of each recommendation; agreements and decisions, their signatories by sex and their
gender provisions. Keyword-only, all or nothing, audited, each bad input refused with one
message per problem naming its field; the workflow is the module's (`services.record_*`).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.activities.models import Organisation
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.representation.models import (
    FOLLOW_UP_RANK,
    Agreement,
    Body,
    FollowUp,
    FollowUpStep,
    GenderProvision,
    Process,
    Recommendation,
    Submission,
)
from musow.representation.services import (
    MAX_SEATS,
    Problems,
    _bump_version,
    _outside_validity,
    record_return,
    record_submit,
    record_validate,
)

MAX_RECOMMENDATIONS = 200


@dataclass(frozen=True)
class SubmissionInput:
    kind: str
    title: str
    submitted_on: date
    organisations: tuple[str, ...]  # the organisations' codes
    recommendations: tuple[str, ...]  # their texts, in order
    source_document: str
    body: Body | None = None
    process: Process | None = None
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


@dataclass(frozen=True)
class FollowUpInput:
    status: str
    on: date
    agreement: Agreement | None = None
    reflected_in: str = ""
    note: str = ""


@dataclass(frozen=True)
class AgreementInput:
    title: str
    signed_on: date
    source_document: str
    body: Body | None = None
    process: Process | None = None
    signatories_women: int | None = None
    signatories_men: int | None = None
    provisions: tuple[str, ...] = ()  # the provisions' codes
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


def _process_of(body: Body | None, process: Process | None) -> Process | None:
    return process if process is not None else (body.process if body is not None else None)


def _check_place(
    user: Any,
    body: Body | None,
    process: Process | None,
    day: date,
    day_field: str,
    before: str,
    problems: Problems,
) -> None:
    """A body or a process, in the user's scope; the date within the body's existence and
    not before the process starts."""
    if body is None and process is None:
        problems.add("body", _("Choose the body (or the process) it concerns."))
        return
    if user is not None and not scopes.may_write_to(user, body, process):
        if body is not None:
            message = _(
                "You may only enter figures of bodies in your region(s): “%(body)s” is not."
            ) % {"body": body.name}
        else:
            message = _("Only gender officers record what concerns a whole process.")
        problems.add("body", message)
    if body is not None and (problem := _outside_validity(body, day)):
        problems.add(day_field, problem)
    process = _process_of(body, process)
    if process is not None and process.start_date and day < process.start_date:
        problems.add(
            day_field, before % {"process": process.name, "start": process.start_date.isoformat()}
        )


def _check_text(data: Any, problems: Problems, *names: str) -> None:
    if not data.source_document.strip():
        problems.add("source_document", _("Name the source: a document, a decree, a report."))
    texts = [getattr(data, n) for n in (*names, "source_document", "note", "source_url")]
    if any("\x00" in t for t in texts):
        problems.add("note", _("The text contains a character that cannot be stored (NUL)."))


# --- submissions and their recommendations -------------------------------------------


def submission_check(
    *, data: SubmissionInput, submission: Submission | None = None, user: Any = None
) -> Problems:
    """Every problem of a submission input (none: it can be written)."""
    problems = Problems()
    if data.kind not in Submission.Kind.values:
        problems.add("kind", _("Choose a memorandum, a list of recommendations or a declaration."))
    if not data.title.strip():
        problems.add("title", _("Give the document's title."))
    _check_place(
        user,
        data.body,
        data.process,
        data.submitted_on,
        "submitted_on",
        _("The process “%(process)s” starts on %(start)s: a submission cannot be before it."),
        problems,
    )
    codes = [c.strip() for c in data.organisations if c.strip()]
    if not codes:
        problems.add("organisations", _("Name at least one organisation that submitted it."))
    known = set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            problems.add(
                "organisations",
                _("Unknown organisation “%(code)s”: add it to the organisations first.")
                % {"code": code},
            )
    texts = [t.strip() for t in data.recommendations if t.strip()]
    if not texts:
        problems.add("recommendations", _("Write at least one recommendation, one per line."))
    elif len(texts) > MAX_RECOMMENDATIONS:
        problems.add(
            "recommendations",
            _("At most %(max)s recommendations per submission.") % {"max": MAX_RECOMMENDATIONS},
        )
    if any("\x00" in t for t in texts):
        problems.add(
            "recommendations",
            _("The text contains a character that cannot be stored (NUL)."),
        )
    _check_text(data, problems, "title")
    if submission is not None:
        _check_kept_recommendations(submission, data, texts, problems)
    return problems


def _check_kept_recommendations(
    submission: Submission, data: SubmissionInput, texts: list[str], problems: Problems
) -> None:
    """An edit keeps the recommendations already followed up, and no follow-up may come
    before the submission's (new) date."""
    stored = list(submission.recommendations.all())
    for index, recommendation in enumerate(stored):
        if index >= len(texts) and recommendation.steps.exists():
            problems.add(
                "recommendations",
                _(
                    "Recommendation %(n)s already has a follow-up: it cannot be removed "
                    "(write it again, or return to the submission's list)."
                )
                % {"n": index + 1},
            )
    first = FollowUpStep.objects.filter(recommendation__submission=submission).order_by("on")
    step = first.first()
    if step is not None and data.submitted_on > step.on:
        problems.add(
            "submitted_on",
            _("A recommendation was followed up on %(day)s: the submission cannot be after it.")
            % {"day": step.on.isoformat()},
        )


def submission_snapshot(submission: Submission) -> dict[str, Any]:
    texts = submission.recommendations.values_list("text", flat=True)
    return {
        "kind": submission.kind,
        "title": submission.title,
        "body": submission.body.code if submission.body else None,
        "process": submission.process.code if submission.process else None,
        "submitted_on": submission.submitted_on.isoformat(),
        "organisations": sorted(submission.organisations.values_list("code", flat=True)),
        "source_document": submission.source_document,
        "source_url": submission.source_url,
        "note": submission.note,
        **{f"recommendation {i}": t for i, t in enumerate(texts, start=1)},
    }


@transaction.atomic
def submission_save(
    *,
    data: SubmissionInput,
    submission: Submission | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> Submission:
    """Create a submission (a draft) with its recommendations, or replace a stored one's
    content: recommendation n keeps its follow-up when its text is changed."""
    submission_check(data=data, submission=submission, user=user).raise_any()
    is_new = submission is None
    before: dict[str, Any] = {}
    if submission is not None:
        before = submission_snapshot(submission)
        _bump_version(submission, expected_version)
    else:
        submission = Submission(created_by=user if getattr(user, "pk", None) else None)
    submission.kind, submission.title = data.kind, data.title.strip()
    submission.body, submission.process = data.body, _process_of(data.body, data.process)
    submission.submitted_on = data.submitted_on
    submission.source_document = data.source_document.strip()
    submission.source_date, submission.source_url = data.source_date, data.source_url.strip()
    submission.note, submission.is_illustrative = data.note.strip(), data.is_illustrative
    submission.save()
    codes = {c.strip() for c in data.organisations if c.strip()}
    submission.organisations.set(Organisation.objects.filter(code__in=codes))
    texts = [t.strip() for t in data.recommendations if t.strip()]
    stored = list(submission.recommendations.all()) if not is_new else []
    for index, text in enumerate(texts):
        if index < len(stored):
            if stored[index].text != text or stored[index].order != index:
                stored[index].text, stored[index].order = text, index
                stored[index].save(update_fields=["text", "order"])
        else:
            Recommendation.objects.create(submission=submission, order=index, text=text)
    for extra in stored[len(texts) :]:
        extra.delete()  # never one with a follow-up (checked above)
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=submission,
        changes=diff(before, submission_snapshot(submission)),
    )
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, user: Any = None) -> Submission:
    return record_submit(submission, user=user)


@transaction.atomic
def submission_validate(*, submission: Submission, user: Any = None) -> Submission:
    refusal = _("Only a submitted submission can be validated.")
    return record_validate(submission, user=user, refusal=refusal)


@transaction.atomic
def submission_return(*, submission: Submission, user: Any = None, comment: str) -> Submission:
    refusal = _("Only a submitted or validated submission can be returned.")
    return record_return(submission, user=user, comment=comment, refusal=refusal)


def follow_up_check(
    *, recommendation: Recommendation, data: FollowUpInput, user: Any = None
) -> Problems:
    problems = Problems()
    submission = recommendation.submission
    if user is not None and not scopes.may_follow_up(user, submission):
        problems.add("status", _("You may not record the follow-up of this submission."))
    statuses = dict(FollowUp.choices)
    if data.status not in statuses or data.status == FollowUp.SUBMITTED:
        problems.add("status", _("Choose acknowledged, reflected in a text or not retained."))
    elif FOLLOW_UP_RANK[FollowUp(data.status)] <= FOLLOW_UP_RANK[FollowUp(recommendation.status)]:
        problems.add(
            "status",
            _(
                "The recommendation is already “%(now)s”: a follow-up only moves forward "
                "(submitted → acknowledged → reflected or not retained), never back to "
                "“%(new)s”."
            )
            % {"now": statuses[recommendation.status], "new": statuses[data.status]},
        )
    if data.on < submission.submitted_on:
        problems.add(
            "on",
            _("The recommendation was submitted on %(day)s: its follow-up cannot be before.")
            % {"day": submission.submitted_on.isoformat()},
        )
    last = recommendation.steps.order_by("-on", "-pk").first()
    if last is not None and data.on < last.on:
        problems.add(
            "on",
            _("Its last follow-up is dated %(day)s: a new one cannot be before it.")
            % {"day": last.on.isoformat()},
        )
    if data.status == FollowUp.REFLECTED:
        if data.agreement is None and not data.reflected_in.strip():
            problems.add(
                "reflected_in",
                _("Say in which text or decision it is reflected, or choose the agreement."),
            )
    elif data.agreement is not None or data.reflected_in.strip():
        problems.add(
            "reflected_in",
            _("A text or an agreement is given only for a recommendation reflected in it."),
        )
    if "\x00" in data.reflected_in + data.note:
        problems.add("note", _("The text contains a character that cannot be stored (NUL)."))
    return problems


@transaction.atomic
def recommendation_follow(
    *,
    recommendation: Recommendation,
    data: FollowUpInput,
    user: Any = None,
    expected_version: int | None = None,
) -> FollowUpStep:
    """Record that a recommendation was acknowledged, reflected in a text or decision, or
    not retained, on a date. Refused when it would go back, or be dated before the
    submission or its last follow-up; an update from an old version is refused."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    follow_up_check(recommendation=recommendation, data=data, user=user).raise_any()
    old = recommendation.status
    _bump_version(recommendation, expected_version)
    step = FollowUpStep.objects.create(
        recommendation=recommendation,
        status=data.status,
        on=data.on,
        agreement=data.agreement,
        reflected_in=data.reflected_in.strip(),
        note=data.note.strip(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    Recommendation.objects.filter(pk=recommendation.pk).update(status=data.status)
    recommendation.status = data.status
    entry_record(
        actor=user,
        action=Entry.Action.UPDATE,
        target=recommendation.submission,
        changes={
            f"recommendation {recommendation.order + 1}": (old, data.status),
            "on": (None, data.on.isoformat()),
            "reflected in": (None, data.agreement.title if data.agreement else data.reflected_in),
        },
    )
    return step


# --- agreements and decisions --------------------------------------------------------


def agreement_check(*, data: AgreementInput, user: Any = None) -> Problems:
    problems = Problems()
    if not data.title.strip():
        problems.add("title", _("Give the title of the agreement or decision."))
    _check_place(
        user,
        data.body,
        data.process,
        data.signed_on,
        "signed_on",
        _("The process “%(process)s” starts on %(start)s: an agreement cannot be before it."),
        problems,
    )
    for name, label in (
        ("signatories_women", _("women signatories")),
        ("signatories_men", _("men signatories")),
    ):
        value = getattr(data, name)
        if value is not None and value < 0:
            problems.add(name, _("The number of %(what)s cannot be negative.") % {"what": label})
        elif value is not None and value > MAX_SEATS:
            problems.add(
                name,
                _("The number of %(what)s is too large (at most %(max)s).")
                % {"what": label, "max": MAX_SEATS},
            )
    known = set(
        GenderProvision.objects.filter(code__in=data.provisions).values_list("code", flat=True)
    )
    for code in data.provisions:
        if code not in known:
            problems.add(
                "provisions",
                _("Unknown gender provision “%(code)s”. Known: %(known)s.")
                % {
                    "code": code,
                    "known": ", ".join(GenderProvision.objects.values_list("code", flat=True)),
                },
            )
    _check_text(data, problems, "title")
    return problems


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    return {
        "title": agreement.title,
        "body": agreement.body.code if agreement.body else None,
        "process": agreement.process.code if agreement.process else None,
        "signed_on": agreement.signed_on.isoformat(),
        "signatories_women": agreement.signatories_women,
        "signatories_men": agreement.signatories_men,
        "provisions": sorted(agreement.provisions.values_list("code", flat=True)),
        "source_document": agreement.source_document,
        "source_url": agreement.source_url,
        "note": agreement.note,
    }


@transaction.atomic
def agreement_save(
    *,
    data: AgreementInput,
    agreement: Agreement | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> Agreement:
    """Create an agreement or decision (a draft), or replace a stored one's content."""
    agreement_check(data=data, user=user).raise_any()
    is_new = agreement is None
    before: dict[str, Any] = {}
    if agreement is not None:
        before = agreement_snapshot(agreement)
        _bump_version(agreement, expected_version)
    else:
        agreement = Agreement(created_by=user if getattr(user, "pk", None) else None)
    agreement.title = data.title.strip()
    agreement.body, agreement.process = data.body, _process_of(data.body, data.process)
    agreement.signed_on = data.signed_on
    agreement.signatories_women = data.signatories_women
    agreement.signatories_men = data.signatories_men
    agreement.source_document = data.source_document.strip()
    agreement.source_date, agreement.source_url = data.source_date, data.source_url.strip()
    agreement.note, agreement.is_illustrative = data.note.strip(), data.is_illustrative
    agreement.save()
    agreement.provisions.set(GenderProvision.objects.filter(code__in=data.provisions))
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=agreement,
        changes=diff(before, agreement_snapshot(agreement)),
    )
    return agreement


@transaction.atomic
def agreement_submit(*, agreement: Agreement, user: Any = None) -> Agreement:
    return record_submit(agreement, user=user)


@transaction.atomic
def agreement_validate(*, agreement: Agreement, user: Any = None) -> Agreement:
    refusal = _("Only a submitted agreement can be validated.")
    return record_validate(agreement, user=user, refusal=refusal)


@transaction.atomic
def agreement_return(*, agreement: Agreement, user: Any = None, comment: str) -> Agreement:
    refusal = _("Only a submitted or validated agreement can be returned.")
    return record_return(agreement, user=user, comment=comment, refusal=refusal)
