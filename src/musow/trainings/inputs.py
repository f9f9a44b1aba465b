"""What a trainee's results are, as every door gives them (the web, the score sheet
import, the demo), and their checks: one clear message per problem, in the user's
language, before anything is written."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from musow.trainings.models import Category, Component, FollowUp, Question, RankBand

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)


@dataclass(frozen=True)
class TraineeInput:
    """One trainee of a session: the attendee's key (or participant code), the facts
    the training keeps, and what was measured (None: not measured, "no data")."""

    key: str  # the attendee's pseudonymous key
    component: str = Component.OTHER
    category: str = ""
    country: str = ""
    rank_band: str = ""
    completed: bool | None = None
    reaction: int | None = None
    pre: Any = None  # a score 0–100
    post: Any = None
    pre_answers: dict[str, str] | None = None  # question code -> choice code
    post_answers: dict[str, str] | None = None
    follow_ups: dict[int, str] = field(default_factory=dict)  # months -> applied


def score_problem(value: Any, label: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return _("%(test)s: “%(value)s” is not a number.") % {"test": label, "value": value}
    if not score.is_finite() or not SCORE_MIN <= score <= SCORE_MAX:
        return _("%(test)s: %(value)s is outside 0–100.") % {"test": label, "value": value}
    return None


def as_score(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value).strip().replace(",", ".")).quantize(Decimal("0.01"))


def answers_problems(answers: dict[str, str] | None, questions: list[Question]) -> list[str]:
    if answers is None:
        return []
    if not questions:
        return [_("This course has no question bank: give a score instead of answers.")]
    by_code = {q.code: q for q in questions}
    problems = []
    for code, answer in answers.items():
        question = by_code.get(code)
        if question is None:
            problems.append(_("Question “%(code)s” is not in the course's bank.") % {"code": code})
        elif answer not in question.choice_codes():
            problems.append(
                _("Question “%(code)s”: “%(answer)s” is not one of its choices (%(choices)s).")
                % {"code": code, "answer": answer, "choices": ", ".join(question.choice_codes())}
            )
    return problems


def answers_score(answers: dict[str, str], questions: list[Question]) -> Decimal:
    """The share of the bank's questions answered as the key says, 0–100 (an unanswered
    question counts as wrong)."""
    right = sum(1 for q in questions if answers.get(q.code) == q.answer)
    return (Decimal(100) * right / len(questions)).quantize(Decimal("0.01"))


def trainee_problems(data: TraineeInput, questions: list[Question]) -> list[str]:
    """Every problem of one trainee's input (empty: it may be written)."""
    problems: list[str] = []
    if data.component not in Component.values:
        problems.append(
            _("“%(value)s” is not a component (%(known)s).")
            % {"value": data.component, "known": ", ".join(Component.values)}
        )
    if data.category and data.category not in Category.values:
        problems.append(
            _("“%(value)s” is not a category (%(known)s).")
            % {"value": data.category, "known": ", ".join(Category.values)}
        )
    if data.rank_band and data.rank_band not in RankBand.values:
        problems.append(
            _("“%(value)s” is not a rank band (%(known)s).")
            % {"value": data.rank_band, "known": ", ".join(RankBand.values)}
        )
    if data.country and not (
        len(data.country) == 2 and data.country.isascii() and data.country.isalpha()
    ):
        problems.append(
            _("“%(value)s” is not a country code (ISO 3166 alpha-2, such as SN or BD).")
            % {"value": data.country}
        )
    if data.reaction is not None and not 1 <= data.reaction <= 5:
        problems.append(_("The reaction is given from 1 to 5."))
    for label, score, answers in (
        (_("pre-test"), data.pre, data.pre_answers),
        (_("post-test"), data.post, data.post_answers),
    ):
        problem = score_problem(score, label)
        if problem:
            problems.append(problem)
        if score not in (None, "") and answers is not None:
            problems.append(_("%(test)s: give a score or answers, not both.") % {"test": label})
        problems.extend(answers_problems(answers, questions))
    for months, applied in data.follow_ups.items():
        if months not in (3, 9):
            problems.append(_("Follow-ups are made at 3 and 9 months."))
        if applied not in FollowUp.Applied.values:
            problems.append(
                _("“%(value)s” is not an answer to “applied at work” (yes, partly, no).")
                % {"value": applied}
            )
    return problems
