"""Writes of gender mainstreaming: reviews, their recommendations and follow-up, project
markers and budgets. Every door (web pages, the demo, tests) writes through these
functions: keyword-only, all or nothing, audited. Bad input raises one ValidationError
with one message per problem, and nothing is written.

A recommendation's follow-up: open → accepted → implemented, or open → not accepted;
each step is dated (never before the recommendation was made, nor in the future)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musow.activities.models import Organisation, Project
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.geo.models import Place
from musow.lib.i18n import localized
from musow.mainstreaming.models import (
    MARKER_CODES,
    Answer,
    ChecklistItem,
    DocumentKind,
    ProjectBudget,
    ProjectMarker,
    Recommendation,
    Review,
    ReviewAnswer,
    Section,
)

TEXT_MAX = 4000
TITLE_MAX = 300
BUDGET_MAX = Decimal("999999999999.99")
YEARS = (1990, 2100)

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def marker_of(code: Any) -> int | None:
    """The marker (0–3) a code given counts as: 2a and 2b are 2; None if not in the scale."""
    return MARKER_CODES.get(str(code).strip().lower()) if code is not None else None


def _marker_problem(code: Any) -> str:
    if code is None or not str(code).strip():
        return _("Choose the Gender Equality Marker code: 0, 1, 2 (or 2a, 2b) or 3.")
    return _("“%(code)s” is not a Gender Equality Marker code: use 0, 1, 2 (or 2a, 2b) or 3.") % {
        "code": code
    }


def _text(errors: Errors, name: str, value: str, *, required: str = "", limit: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        _add(errors, name, _("The text contains a character that cannot be stored (NUL)."))
    elif required and not value:
        _add(errors, name, required)
    elif len(value) > limit:
        _add(
            errors,
            name,
            _("At most %(limit)s characters (this one has %(n)s).")
            % {"limit": limit, "n": len(value)},
        )
    return value


# --- reviews -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewInput:
    kind: DocumentKind | None
    title: str
    section: Section | None
    reviewed_on: date | None
    marker_code: str
    justification: str
    document_date: date | None = None
    version: str = ""
    link: str = ""
    region: Place | None = None
    organisation: Organisation | None = None
    project: Project | None = None
    answers: Mapping[str, str] = field(default_factory=dict)  # checklist item code → answer


def review_validate(data: ReviewInput) -> tuple[dict[str, Any], dict[ChecklistItem, str]]:
    """The review's field values and checklist answers, or one message per problem."""
    errors: Errors = {}
    values: dict[str, Any] = {
        "title": _text(
            errors, "title", data.title, required=_("Give the document's title."), limit=TITLE_MAX
        ),
        "justification": _text(
            errors,
            "justification",
            data.justification,
            required=_("Say why the document gets this marker code."),
            limit=TEXT_MAX,
        ),
        "version": _text(errors, "version", data.version, limit=40),
        "link": _text(errors, "link", data.link, limit=500),
    }
    if data.kind is None:
        _add(errors, "kind", _("Choose the kind of document."))
    if data.section is None:
        _add(errors, "section", _("Choose the section that owns the document."))
    if data.reviewed_on is None:
        _add(errors, "reviewed_on", _("Give the date of the review."))
    elif data.reviewed_on > timezone.localdate():
        _add(errors, "reviewed_on", _("The review cannot be dated in the future."))
    elif data.document_date and data.reviewed_on < data.document_date:
        _add(errors, "reviewed_on", _("The review cannot be dated before the document."))
    marker = marker_of(data.marker_code)
    if marker is None:
        _add(errors, "marker_code", _marker_problem(data.marker_code))
    if data.region is not None and data.region.level != Place.Level.REGION:
        _add(errors, "region", _("Choose a region (a place of the first level)."))
    items = {i.code: i for i in ChecklistItem.objects.filter(is_active=True)}
    answers: dict[ChecklistItem, str] = {}
    for code, answer in data.answers.items():
        if code not in items:
            _add(errors, "answers", _("Unknown checklist item “%(code)s”.") % {"code": code})
        elif answer not in Answer.values:
            _add(
                errors,
                "answers",
                _("“%(answer)s” is not an answer to “%(item)s”: yes, partly, no or n/a.")
                % {"answer": answer, "item": localized(items[code], "name")},
            )
        else:
            answers[items[code]] = answer
    _raise(errors)
    values.update(
        kind=data.kind,
        section=data.section,
        reviewed_on=data.reviewed_on,
        document_date=data.document_date,
        marker=marker,
        marker_code=str(data.marker_code).strip().lower(),
        region=data.region,
        organisation=data.organisation,
        project=data.project,
    )
    return values, answers


def _snapshot(review: Review) -> dict[str, Any]:
    answers = {a.item.code: a.answer for a in review.answers.select_related("item")}
    return {
        "kind": review.kind.code if review.kind_id else None,
        "title": review.title,
        "section": review.section.code if review.section_id else None,
        "document_date": review.document_date.isoformat() if review.document_date else None,
        "version": review.version,
        "link": review.link,
        "reviewed_on": review.reviewed_on.isoformat() if review.reviewed_on else None,
        "region": review.region.pcode if review.region else None,
        "organisation": review.organisation.code if review.organisation else None,
        "project": review.project.code if review.project else None,
        "marker_code": review.marker_code,
        "justification": review.justification,
        **{f"checklist {code}": answer for code, answer in sorted(answers.items())},
    }


@transaction.atomic
def review_save(*, data: ReviewInput, user: Any, review: Review | None = None) -> Review:
    """Record a new review (its reviewer: `user`), or change `review`'s content."""
    values, answers = review_validate(data)
    is_new = review is None
    before = {} if review is None else _snapshot(review)
    review = review or Review(reviewer=user)
    for name, value in values.items():
        setattr(review, name, value)
    review.full_clean()
    review.save()
    review.answers.all().delete()
    ReviewAnswer.objects.bulk_create(
        ReviewAnswer(review=review, item=item, answer=answer) for item, answer in answers.items()
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=review,
        changes=diff(before, _snapshot(review)),
    )
    return review


# --- recommendations and their follow-up ---------------------------------------------


@transaction.atomic
def recommendation_add(
    *,
    review: Review,
    user: Any,
    text: str,
    section: Section | None,
    due_date: date | None,
    made_on: date | None = None,
) -> Recommendation:
    """A recommendation of the review to the owner section, due by `due_date`."""
    errors: Errors = {}
    text = _text(errors, "text", text, required=_("Write the recommendation."), limit=TEXT_MAX)
    made_on = made_on or review.reviewed_on
    if section is None:
        _add(errors, "section", _("Choose the section the recommendation is addressed to."))
    if due_date is None:
        _add(errors, "due_date", _("Give the date by which it is due."))
    elif due_date < made_on:
        _add(
            errors,
            "due_date",
            _("The due date cannot be before the recommendation was made (%(date)s).")
            % {"date": made_on.isoformat()},
        )
    if made_on < review.reviewed_on:
        _add(errors, "made_on", _("A recommendation cannot be made before its review."))
    _raise(errors)
    assert section is not None and due_date is not None
    recommendation = Recommendation.objects.create(
        review=review, text=text, section=section, made_on=made_on, due_date=due_date
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE,
        target=recommendation,
        changes={
            "review": (None, review.pk),
            "section": (None, section.code if section else None),
            "made_on": (None, made_on.isoformat()),
            "due_date": (None, due_date.isoformat() if due_date else None),
        },
    )
    return recommendation


Status = Recommendation.Status
_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    # new status: (allowed from, the date field it sets)
    Status.ACCEPTED: ((Status.OPEN,), "accepted_on"),
    Status.IMPLEMENTED: ((Status.ACCEPTED,), "implemented_on"),
    Status.NOT_ACCEPTED: ((Status.OPEN,), "not_accepted_on"),
}


def _refusal(status: str) -> str:
    refusals: dict[str, str] = {
        Status.ACCEPTED: _("Only an open recommendation can be accepted."),
        Status.IMPLEMENTED: _("Only an accepted recommendation can be marked implemented."),
        Status.NOT_ACCEPTED: _("Only an open recommendation can be marked not accepted."),
    }
    return refusals[status]


def _follow_up(
    recommendation: Recommendation, *, user: Any, status: str, on: date | None, comment: str
) -> Recommendation:
    allowed_from, date_field = _STEPS[status]
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    errors: Errors = {}
    comment = _text(
        errors,
        "comment",
        comment,
        required=_("Say why the recommendation was not accepted.")
        if status == Status.NOT_ACCEPTED
        else "",
        limit=TEXT_MAX,
    )
    if current.status not in allowed_from:
        _add(errors, "status", _refusal(status))
    if on is None:
        _add(errors, "on", _("Give the date of this follow-up."))
    elif on < current.made_on:
        _add(
            errors,
            "on",
            _("The follow-up date cannot be before the recommendation was made (%(date)s).")
            % {"date": current.made_on.isoformat()},
        )
    elif current.accepted_on and on < current.accepted_on:
        _add(
            errors,
            "on",
            _("The follow-up date cannot be before it was accepted (%(date)s).")
            % {"date": current.accepted_on.isoformat()},
        )
    elif on > timezone.localdate():
        _add(errors, "on", _("A follow-up cannot be dated in the future."))
    _raise(errors)
    assert on is not None
    old = current.status
    recommendation.status = status
    setattr(recommendation, date_field, on)
    recommendation.comment = comment or current.comment
    recommendation.save(update_fields=["status", date_field, "comment"])
    entry_record(
        actor=user,
        action=Entry.Action.UPDATE,
        target=recommendation,
        changes={"status": (old, status), date_field: (None, on.isoformat())},
        comment=comment,
    )
    return recommendation


@transaction.atomic
def recommendation_accept(
    *, recommendation: Recommendation, user: Any, on: date | None, comment: str = ""
) -> Recommendation:
    """The owner section accepted an open recommendation (on that date)."""
    return _follow_up(recommendation, user=user, status=Status.ACCEPTED, on=on, comment=comment)


@transaction.atomic
def recommendation_implement(
    *, recommendation: Recommendation, user: Any, on: date | None, comment: str = ""
) -> Recommendation:
    """An accepted recommendation was carried out (on that date)."""
    return _follow_up(recommendation, user=user, status=Status.IMPLEMENTED, on=on, comment=comment)


@transaction.atomic
def recommendation_decline(
    *, recommendation: Recommendation, user: Any, on: date | None, comment: str
) -> Recommendation:
    """The owner section did not accept an open recommendation; the comment says why."""
    return _follow_up(recommendation, user=user, status=Status.NOT_ACCEPTED, on=on, comment=comment)


@transaction.atomic
def recommendation_follow_up(
    *, recommendation: Recommendation, user: Any, status: str, on: date | None, comment: str = ""
) -> Recommendation:
    """One step of the follow-up, chosen by its new status (the web form's door)."""
    if status not in _STEPS:
        raise ValidationError(
            {"status": [_("“%(status)s” is not a follow-up step.") % {"status": status}]}
        )
    return _follow_up(recommendation, user=user, status=status, on=on, comment=comment)


# --- projects: marker and budget -------------------------------------------------------


@transaction.atomic
def project_marker_set(
    *,
    project: Project,
    user: Any,
    marker_code: str,
    section: Section | None,
    budgets: Mapping[int, Decimal | int | str],
    justification: str = "",
) -> ProjectMarker:
    """Give a project its marker code, owner section and budget by year (USD); the years
    not listed lose their budget line."""
    errors: Errors = {}
    marker = marker_of(marker_code)
    if marker is None:
        _add(errors, "marker_code", _marker_problem(marker_code))
    if section is None:
        _add(errors, "section", _("Choose the section that owns the project."))
    justification = _text(errors, "justification", justification, limit=TEXT_MAX)
    amounts: dict[int, Decimal] = {}
    for year, amount in budgets.items():
        if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
            _add(errors, "budgets", _("“%(year)s” is not a year.") % {"year": year})
            continue
        try:
            value = Decimal(str(amount))
        except ArithmeticError:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0 or value > BUDGET_MAX:
            _add(
                errors,
                "budgets",
                _("The budget of %(year)s must be an amount from 0 (USD): “%(amount)s”.")
                % {"year": year, "amount": amount},
            )
            continue
        amounts[year] = value.quantize(Decimal("0.01"))
    _raise(errors)
    current = ProjectMarker.objects.filter(project=project).first()
    before: dict[str, Any] = {}
    if current is not None:
        before = {
            "marker_code": current.marker_code,
            "section": current.section.code,
            "justification": current.justification,
            **{f"budget {b.year}": str(b.amount) for b in current.budgets.all()},
        }
    assert section is not None and marker is not None
    pm, _created = ProjectMarker.objects.update_or_create(
        project=project,
        defaults={
            "marker": marker,
            "marker_code": str(marker_code).strip().lower(),
            "section": section,
            "justification": justification,
        },
    )
    pm.budgets.exclude(year__in=list(amounts)).delete()
    for year, value in amounts.items():
        ProjectBudget.objects.update_or_create(
            project_marker=pm, year=year, defaults={"amount": value}
        )
    after = {
        "marker_code": pm.marker_code,
        "section": section.code,
        "justification": justification,
        **{f"budget {year}": str(value) for year, value in sorted(amounts.items())},
    }
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if current is None else Entry.Action.UPDATE,
        target=pm,
        changes=diff(before, after),
    )
    return pm
