"""Builders for the trainings tests: a course, a session (an activity with its
attendance list, through the activities' write path) and its trainees."""

from typing import Any

from musow.activities.services import attendee_key
from musow.trainings.inputs import TraineeInput
from musow.trainings.models import Course, TrainingSession
from musow.trainings.services import course_save, question_save, session_link
from tests.factories import make_activity


def make_course(code: str = "induction", pass_mark: int = 70, questions: bool = False) -> Course:
    course = course_save(
        code=code,
        title_fr=f"Genre et maintien de la paix ({code})",
        title_en=f"Gender and peacekeeping ({code})",
        pass_mark=pass_mark,
    )
    if questions:
        for n, answer in enumerate(["a", "b", "c", "a"], start=1):
            question_save(
                course=course,
                code=f"q{n}",
                order=n,
                text_fr=f"Question {n}",
                text_en=f"Question {n}",
                choices=[{"code": c, "fr": c, "en": c} for c in "abc"],
                answer=answer,
            )
    return course


def make_session(
    course: Course,
    codes: dict[str, str],
    *,
    start: str = "2014-03-11",
    place: str = "ML09",
    status: str = "validated",
    title: str = "Formation d'induction",
    **overrides: Any,
) -> TrainingSession:
    """A validated training activity whose list holds `codes` ({code: sex})."""
    activity = make_activity(
        type="training",
        title=title,
        start=start,
        end=start,
        place=place,
        status=status,
        themes=["wps-1325"],
        participation=[
            {"audience": "general-public", "sex": s, "age": "18-plus", "count": n}
            for s, n in _by_sex(codes).items()
        ],
        attendance=[{"code": c, "sex": s} for c, s in codes.items()],
        **overrides,
    )
    return session_link(activity=activity, course=course)


def _by_sex(codes: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in codes.values():
        out[s] = out.get(s, 0) + 1
    return out or {"f": 1}


def trainee(code: str, **fields: Any) -> TraineeInput:
    return TraineeInput(key=attendee_key(code) if code else "", **fields)
