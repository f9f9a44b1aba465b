"""Writes to the trainings register: courses and their question banks, the link from an
activity to its course, and what is known of its trainees. Keyword-only, all or nothing,
audited; bad input gets one message per problem and nothing is written."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from musow.activities.models import Activity, Attendance
from musow.audit.models import Entry
from musow.audit.services import diff, entries_record, entry_fields, entry_record
from musow.trainings.inputs import (
    TraineeInput,
    answers_problems,
    answers_score,
    as_score,
    score_problem,
    trainee_problems,
)
from musow.trainings.models import Course, FollowUp, Question, TestResult, Trainee, TrainingSession

COURSE_FIELDS = (
    "title_fr",
    "title_en",
    "audience_fr",
    "audience_en",
    "duration_hours",
    "version",
    "pass_mark",
)


def _snapshot(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    return {n: _plain(getattr(obj, n)) for n in names}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def course_save(
    *,
    code: str,
    title_fr: str,
    title_en: str,
    audience_fr: str = "",
    audience_en: str = "",
    duration_hours: Decimal | None = None,
    version: str = "",
    pass_mark: int = 70,
    user: Any = None,
) -> Course:
    """Create or update the course `code`."""
    if not 0 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": _("The pass mark is a score from 0 to 100.")})
    course = Course.objects.filter(code=code).first()
    before = _snapshot(course, COURSE_FIELDS) if course else {}
    course = course or Course(code=code)
    values = {
        "title_fr": title_fr,
        "title_en": title_en,
        "audience_fr": audience_fr,
        "audience_en": audience_en,
        "duration_hours": duration_hours,
        "version": version,
        "pass_mark": pass_mark,
    }
    for name, value in values.items():
        setattr(course, name, value)
    course.full_clean()
    after = _snapshot(course, COURSE_FIELDS)
    if before == after:
        return course
    action = Entry.Action.UPDATE if course.pk else Entry.Action.CREATE
    course.save()
    entry_record(actor=user, action=action, target=course, changes=diff(before, after))
    return course


def question_problems(*, choices: list[dict[str, str]], answer: str) -> list[str]:
    """What is wrong with a question's choices and answer key (empty: nothing)."""
    codes = [str(c.get("code", "")) for c in choices]
    problems = []
    if len(codes) < 2 or len(set(codes)) != len(codes) or "" in codes:
        problems.append(_("A question needs at least two choices, each with its own code."))
    if answer not in codes:
        problems.append(
            _("The answer key “%(answer)s” is not one of the choices (%(choices)s).")
            % {"answer": answer, "choices": ", ".join(codes)}
        )
    return problems


@transaction.atomic
def question_save(
    *,
    course: Course,
    code: str,
    text_fr: str,
    text_en: str,
    choices: list[dict[str, str]],
    answer: str,
    order: int = 0,
    user: Any = None,
) -> Question:
    """Add or change an item of the course's question bank; its key must be a choice."""
    problems = question_problems(choices=choices, answer=answer)
    if problems:
        raise ValidationError(problems)
    question = Question.objects.filter(course=course, code=code).first()
    names = ("order", "text_fr", "text_en", "choices", "answer")
    before = _snapshot(question, names) if question else {}
    question = question or Question(course=course, code=code)
    question.order, question.text_fr, question.text_en = order, text_fr, text_en
    question.choices, question.answer = choices, answer
    question.full_clean()
    after = _snapshot(question, names)
    if before != after:
        action = Entry.Action.UPDATE if question.pk else Entry.Action.CREATE
        question.save()
        entry_record(actor=user, action=action, target=question, changes=diff(before, after))
    return question


@transaction.atomic
def session_link(*, activity: Activity, course: Course, user: Any = None) -> TrainingSession:
    """Make `activity` a session of `course` (its counting does not change)."""
    if activity.is_deleted:
        raise ValidationError(_("This activity has been deleted."))
    session = TrainingSession.objects.filter(activity=activity).first()
    if session is not None and session.course_id == course.pk:
        return session
    if session is not None and session.trainees.exists():
        raise ValidationError(
            _("This session already has trainees of another course: it cannot change course.")
        )
    before = {"course": session.course.code} if session else {}
    session = session or TrainingSession(activity=activity)
    session.course = course
    session.save()
    action = Entry.Action.UPDATE if before else Entry.Action.CREATE
    entry_record(
        actor=user, action=action, target=session, changes=diff(before, {"course": course.code})
    )
    return session


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def trainees_check(session: TrainingSession, trainees: Sequence[TraineeInput]) -> list[list[str]]:
    """The problems of each trainee's input, in order (all empty: they may be written)."""
    questions = list(session.course.questions.all())
    listed = set(
        Attendance.objects.filter(activity_id=session.activity_id).values_list(
            "attendee__key", flat=True
        )
    )
    seen: set[str] = set()
    out = []
    for data in trainees:
        problems = []
        if not data.key:
            problems.append(
                _("A test result or a trainee's facts need a trainee (a participant code).")
            )
        elif data.key not in listed:
            problems.append(
                _(
                    "This participant is not on the activity's attendance list: "
                    "add them to it first."
                )
            )
        elif data.key in seen:
            problems.append(_("This participant is given twice for the same session."))
        seen.add(data.key)
        out.append(problems + trainee_problems(data, questions))
    return out


@transaction.atomic
def trainees_save(
    *,
    session: TrainingSession,
    trainees: Sequence[TraineeInput],
    user: Any = None,
    comment: str = "",
) -> Outcome:
    """Write what is known of the session's trainees (all or nothing; an identical input
    again changes nothing). A trainee not given keeps what it had; a measure given as
    None keeps no value (no data)."""
    problems = [
        _("Trainee %(n)s: %(problem)s") % {"n": i, "problem": p}
        for i, found in enumerate(trainees_check(session, trainees), start=1)
        for p in found
    ]
    if problems:
        raise ValidationError(problems)
    questions = list(session.course.questions.all())
    attendees = dict(
        Attendance.objects.filter(activity_id=session.activity_id).values_list(
            "attendee__key", "attendee_id"
        )
    )
    stored = {
        t.attendee_id: t
        for t in Trainee.objects.filter(session=session).prefetch_related("tests", "follow_ups")
    }
    outcome = Outcome()
    entries: list[Entry] = []
    for data in trainees:
        trainee = stored.get(attendees[data.key])
        before = trainee_snapshot(trainee) if trainee else {}
        trainee = trainee or Trainee(session=session, attendee_id=attendees[data.key])
        for name in ("component", "category", "country", "rank_band", "completed", "reaction"):
            value = getattr(data, name)
            setattr(trainee, name, value.upper() if name == "country" else value)
        tests: dict[str, Any] = {
            str(kind): _test_value(score, answers, questions)
            for kind, score, answers in (
                (TestResult.Kind.PRE, data.pre, data.pre_answers),
                (TestResult.Kind.POST, data.post, data.post_answers),
            )
        }
        after = _snapshot_of(trainee, tests, data.follow_ups)
        if before == after:
            outcome.unchanged += 1
            continue
        is_new = trainee.pk is None
        trainee.save()
        _children_write(trainee, tests, data.follow_ups)
        if is_new:
            outcome.created += 1
        else:
            outcome.updated += 1
        action = Entry.Action.CREATE if is_new else Entry.Action.UPDATE
        entries.append(Entry(**entry_fields(user, action, trainee, diff(before, after), comment)))
    entries_record(entries)
    return outcome


def _test_value(
    score: Any, answers: dict[str, str] | None, questions: list[Question]
) -> tuple[Decimal, dict[str, str] | None] | None:
    if answers is not None:
        return answers_score(answers, questions), answers
    value = as_score(score)
    return None if value is None else (value, None)


def _snapshot_of(
    trainee: Trainee, tests: dict[str, Any], follow_ups: dict[int, str]
) -> dict[str, Any]:
    out = _snapshot(
        trainee, ("component", "category", "country", "rank_band", "completed", "reaction")
    )
    for kind, value in tests.items():
        out[kind] = None if value is None else str(value[0])
        out[f"{kind}_answers"] = None if value is None else value[1]
    out["follow_ups"] = {str(m): a for m, a in sorted(follow_ups.items())}
    return out


def trainee_snapshot(trainee: Trainee) -> dict[str, Any]:
    tests: dict[str, Any] = {"pre": None, "post": None}
    for t in trainee.tests.all():
        tests[t.kind] = (t.score.quantize(Decimal("0.01")), t.answers)
    follow_ups = {f.months: f.applied for f in trainee.follow_ups.all()}
    return _snapshot_of(trainee, tests, follow_ups)


def _children_write(trainee: Trainee, tests: dict[str, Any], follow_ups: dict[int, str]) -> None:
    TestResult.objects.filter(trainee=trainee).delete()
    TestResult.objects.bulk_create(
        TestResult(trainee=trainee, kind=kind, score=value[0], answers=value[1])
        for kind, value in tests.items()
        if value is not None
    )
    kept = FollowUp.objects.filter(trainee=trainee)
    examples = dict(kept.values_list("months", "example"))
    kept.delete()
    FollowUp.objects.bulk_create(
        FollowUp(trainee=trainee, months=m, applied=a, example=examples.get(m, ""))
        for m, a in follow_ups.items()
    )


@transaction.atomic
def score_record(
    *,
    trainee: Trainee | None,
    kind: str,
    score: Any = None,
    answers: dict[str, str] | None = None,
    user: Any = None,
) -> TestResult:
    """Record one test of a trainee: a score 0–100, or answers scored against the key."""
    if trainee is None:
        raise ValidationError(
            _("A test result or a trainee's facts need a trainee (a participant code).")
        )
    if kind not in TestResult.Kind.values:
        raise ValidationError(_("A test is a pre-test or a post-test."))
    questions = list(trainee.session.course.questions.all())
    label = TestResult.Kind(kind).label
    problems = [p for p in [score_problem(score, str(label))] if p]
    problems += answers_problems(answers, questions)
    if (score is None or score == "") == (answers is None):
        problems.append(_("%(test)s: give a score or answers, not both.") % {"test": label})
    if problems:
        raise ValidationError(problems)
    value = _test_value(score, answers, questions)
    assert value is not None
    result = TestResult.objects.filter(trainee=trainee, kind=kind).first()
    before = {"score": str(result.score), "answers": result.answers} if result else {}
    result = result or TestResult(trainee=trainee, kind=kind)
    result.score, result.answers = value
    result.save()
    after = {"score": str(result.score), "answers": result.answers}
    action = Entry.Action.UPDATE if before else Entry.Action.CREATE
    entry_record(actor=user, action=action, target=result, changes=diff(before, after))
    return result
