"""The XLSForm of a course's pre/post test, from its question bank (bilingual labels), for
KoboCollect / ODK Collect. Each submission is one test of one trainee: the participant
code (only its keyed hash is kept at import), pre or post, and one answer per question.
Its KoboToolbox / ODK export is imported by `musow scores import` (scoresheet.py), which
scores the answers against the course's key."""

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from musow.intake.xlsform import LANG_NAMES
from musow.trainings.models import Course

TEST_FIELD = "test"
CODE_FIELD = "participant_code"
QUESTION_PREFIX = "q_"


def _both(message: str, langs: list[str]) -> list[str]:
    out = []
    for lang in langs:
        with translation.override(lang):
            out.append(_(message))
    return out


def course_xlsform_rows(course: Course, langs: list[str]) -> dict[str, list[list[Any]]]:
    labels = [f"label::{LANG_NAMES[lang]}" for lang in langs]
    survey: list[list[Any]] = [["type", "name", *labels, "required", "hxl"]]
    survey.append(["start", "start", *[""] * len(langs), "", ""])
    survey.append(["end", "end", *[""] * len(langs), "", ""])
    survey.append(
        [
            "text",
            CODE_FIELD,
            *_both(gettext_noop("Participant code"), langs),
            "yes",
            "#participant+code",
        ]
    )
    survey.append(
        [
            f"select_one {TEST_FIELD}",
            TEST_FIELD,
            *_both(gettext_noop("Test"), langs),
            "yes",
            "#indicator+test",
        ]
    )
    choices: list[list[Any]] = [["list_name", "name", *labels]]
    choices.append([TEST_FIELD, "pre", *_both(gettext_noop("Pre-test"), langs)])
    choices.append([TEST_FIELD, "post", *_both(gettext_noop("Post-test"), langs)])
    for question in course.questions.all():
        name = f"{QUESTION_PREFIX}{question.code}"
        texts = [getattr(question, f"text_{lang}") or question.text for lang in langs]
        survey.append([f"select_one {name}", name, *texts, "yes", ""])
        for choice in question.choices:
            choices.append(
                [name, choice["code"], *[choice.get(lang) or choice["code"] for lang in langs]]
            )
    version = hashlib.sha256(json.dumps([survey, choices]).encode()).hexdigest()[:10]
    titles = [getattr(course, f"title_{lang}") or course.title for lang in langs]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [" / ".join(titles), f"musow_course_{course.code}", version, LANG_NAMES[langs[0]]],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_course_xlsform(
    target: str | Path | IO[bytes], *, course: Course, langs: list[str]
) -> str:
    from openpyxl import Workbook

    sheets = course_xlsform_rows(course, langs)
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(target)
    return str(sheets["settings"][1][2])
