"""The XLSForm of a composition, for a focal point on KoboCollect / ODK Collect: the body
(from the live list of bodies; a focal point's region's ones first in their work), the
date, the source, an optional declared total, and one group per role — the numbers of
women and men (whole numbers, 0 or more). The declared total, when given, must equal the
sum of the roles (the form's constraint mirrors the service's check). Labels bilingual;
field names are the import template's keys (`representation/imports.py`), each with its
HXL hashtag."""

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from musow.intake.xlsform import LANG_NAMES
from musow.representation.imports import COLUMNS
from musow.representation.models import Body, Role

FORM_ID = "musow_compositions"
REPEAT = "roles"
HXL = {key: tag for key, _fr, _en, tag, _required in COLUMNS}


def _both(message: str, langs: list[str]) -> list[str]:
    out = []
    for lang in langs:
        with translation.override(lang):
            out.append(_(message))
    return out


def composition_xlsform_rows(langs: list[str]) -> dict[str, list[list[Any]]]:
    labels = [f"label::{LANG_NAMES[lang]}" for lang in langs]
    hints = [f"hint::{LANG_NAMES[lang]}" for lang in langs]
    head = ["type", "name", *labels, *hints, "required", "constraint", "calculation", "hxl"]
    blank = [""] * len(langs)

    def row(
        kind: str,
        name: str,
        label: str = "",
        *,
        hint: str = "",
        required: str = "",
        constraint: str = "",
        calculation: str = "",
        hxl: str = "",
    ) -> list[Any]:
        return [
            kind,
            name,
            *(_both(label, langs) if label else blank),
            *(_both(hint, langs) if hint else blank),
            required,
            constraint,
            calculation,
            hxl,
        ]

    survey: list[list[Any]] = [
        head,
        row("start", "start"),
        row("end", "end"),
        row(
            "select_one body",
            "body",
            gettext_noop("Body"),
            required="yes",
            hxl=HXL["body"],
        ),
        row(
            "date",
            "date",
            gettext_noop("Composition on"),
            hint=gettext_noop("The date the source gives the composition for."),
            required="yes",
            hxl=HXL["date"],
        ),
        row(
            "text",
            "source",
            gettext_noop("Source document"),
            hint=gettext_noop("A decree, a list, minutes: where these numbers come from."),
            required="yes",
            hxl=HXL["source"],
        ),
        row("date", "source_date", gettext_noop("Date of the source"), hxl=HXL["source_date"]),
        row("text", "url", gettext_noop("Link to the source"), hxl=HXL["url"]),
        row(
            "begin_repeat",
            REPEAT,
            gettext_noop("People by role"),
            hint=gettext_noop("One entry per role: numbers only, never a name."),
        ),
        row("select_one role", "role", gettext_noop("Role"), required="yes", hxl=HXL["role"]),
        row(
            "integer",
            "women",
            gettext_noop("Women"),
            required="yes",
            constraint=". >= 0 and . <= 100000",
            hxl=HXL["women"],
        ),
        row(
            "integer",
            "men",
            gettext_noop("Men"),
            required="yes",
            constraint=". >= 0 and . <= 100000",
            hxl=HXL["men"],
        ),
        row("end_repeat", REPEAT),
        row("calculate", "counted", calculation="sum(${women}) + sum(${men})"),
        row(
            "integer",
            "declared_total",
            gettext_noop("Declared total (if the source gives one)"),
            constraint=". = ${counted}",
            hxl=HXL["declared_total"],
        ),
        row("text", "note", gettext_noop("Note"), hxl=HXL["note"]),
    ]
    # The declared total's constraint message, in each language.
    messages = [f"constraint_message::{LANG_NAMES[lang]}" for lang in langs]
    survey[0] += messages
    for line in survey[1:]:
        line += [""] * len(langs)
    total_row = next(line for line in survey if line[1] == "declared_total")
    total_row[-len(langs) :] = _both(
        gettext_noop("The numbers by role and sex do not add up to this total."), langs
    )
    choices: list[list[Any]] = [["list_name", "name", *labels]]
    for body in Body.objects.order_by("code"):
        choices.append(["body", body.code, *[getattr(body, f"name_{lang}") for lang in langs]])
    for role in Role.objects.filter(is_active=True).order_by("order", "code"):
        choices.append(["role", role.code, *[getattr(role, f"name_{lang}") for lang in langs]])
    version = hashlib.sha256(json.dumps([survey, choices]).encode()).hexdigest()[:10]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [
            " / ".join(_both(gettext_noop("Composition of a body"), langs)),
            FORM_ID,
            version,
            LANG_NAMES[langs[0]],
        ],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_composition_xlsform(target: str | Path | IO[bytes], *, langs: list[str]) -> str:
    from openpyxl import Workbook

    sheets = composition_xlsform_rows(langs)
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for line in rows:
            sheet.append(line)
    book.save(target)
    return str(sheets["settings"][1][2])
