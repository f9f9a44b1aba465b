"""An XLSForm for KoboCollect / ODK Collect, built from the live choice lists.

Field names are the import template's column keys, so a KoboToolbox or ODK
Central export of the submissions is imported by the same importer (`kobo`,
`odk`; each submission keyed by its first instance UUID). Labels are bilingual
(``label::Français (fr)``, ``label::English (en)``); constraints mirror the
model's: counts ≥ 0, end ≥ start, the declared total equal to the breakdown.
Cercles are filtered by the chosen region. Each field carries its HXL hashtag (the
`hxl` column, which KoboToolbox writes under the headers of its exports). pyxform
converts it to an XForm and ODK Validate checks it (tests/test_intake_kobo.py).
"""

import hashlib
import json
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from musow.activities.models import (
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    MediaReach,
    Organisation,
    Project,
    Sex,
    Theme,
)
from musow.geo.models import Place
from musow.intake.columns import ACTIVITY_COLUMNS, ATTENDANCE_COLUMNS, COUNT_CELLS, Column

LANG_NAMES = {"fr": "Français (fr)", "en": "English (en)"}
FORM_ID = "musow_activities"
ATTENDANCE_REPEAT = "attendees"
# Each field's HXL hashtag (the `hxl` column): KoboToolbox writes it under the headers of
# its exports, so a column is recognised by its tag whatever the labels.
HXL = {c.key: c.hxl for c in [*ACTIVITY_COLUMNS, *ATTENDANCE_COLUMNS]}


def _both(message: str, langs: list[str]) -> dict[str, str]:
    labels = {}
    for lang in langs:
        with translation.override(lang):
            labels[lang] = _(message)
    return labels


def _column(key: str) -> Column:
    return next(c for c in ACTIVITY_COLUMNS if c.key == key)


def _choices(langs: list[str]) -> dict[str, list[dict[str, Any]]]:
    def terms(qs: Any) -> list[dict[str, Any]]:
        return [
            {"name": o.code, **{lang: getattr(o, f"name_{lang}") or o.code for lang in langs}}
            for o in qs
        ]

    lists: dict[str, list[dict[str, Any]]] = {
        "activity_type": terms(ActivityType.objects.filter(is_active=True)),
        "theme": terms(Theme.objects.filter(is_active=True)),
        "audience": terms(Audience.objects.filter(is_active=True)),
        "campaign": terms(Campaign.objects.order_by("-start_date")),
        "project": terms(Project.objects.order_by("code")),
        "organisation": [
            {"name": o.code, **{lang: str(o) for lang in langs}}
            for o in Organisation.objects.order_by("name")
        ],
        "region": [
            {"name": p.pcode, **{lang: getattr(p, f"name_{lang}") for lang in langs}}
            for p in Place.objects.filter(level=Place.Level.REGION).exclude(pcode="")
        ],
        "cercle": [
            {
                "name": p.pcode,
                "region": p.region.pcode if p.region else "",
                **{lang: getattr(p, f"name_{lang}") for lang in langs},
            }
            for p in Place.objects.filter(level=Place.Level.CERCLE)
            .exclude(pcode="")
            .select_related("region")
        ],
    }
    media = []
    for value, _label in MediaReach.Medium.choices:
        labels = {}
        for lang in langs:
            with translation.override(lang):
                labels[lang] = str(MediaReach.Medium(value).label)
        media.append({"name": value, **labels})
    lists["medium"] = media
    sexes = []
    for value, _label in Sex.choices:
        labels = {}
        for lang in langs:
            with translation.override(lang):
                labels[lang] = str(Sex(value).label)
        sexes.append({"name": value, **labels})
    lists["sex"] = sexes
    lists["age_group"] = [
        {"name": o.code, **{lang: getattr(o, f"name_{lang}") or o.code for lang in langs}}
        for o in AgeGroup.objects.filter(is_active=True)
    ]
    return {name: items for name, items in lists.items() if items}


def xlsform_rows(langs: list[str]) -> dict[str, list[list[Any]]]:
    """The three sheets (survey, choices, settings) as rows."""
    choices = _choices(langs)
    label_cols = [f"label::{LANG_NAMES[lang]}" for lang in langs]
    msg_cols = [f"constraint_message::{LANG_NAMES[lang]}" for lang in langs]
    survey: list[list[Any]] = [
        ["type", "name", *label_cols, "required", "constraint", *msg_cols, "choice_filter", "hxl"]
    ]

    def header_labels(column: Column) -> list[str]:
        return [column.header(lang) for lang in langs]

    def add(
        kind: str,
        name: str,
        labels: list[str],
        required: bool = False,
        constraint: str = "",
        message: str = "",
        choice_filter: str = "",
        hxl: str = "",
    ) -> None:
        messages = list(_both(message, langs).values()) if message else [""] * len(langs)
        survey.append(
            [
                kind,
                name,
                *labels,
                "yes" if required else "",
                constraint,
                *messages,
                choice_filter,
                hxl or HXL.get(name, ""),
            ]
        )

    add("start", "start", [""] * len(langs))
    add("end", "end", [""] * len(langs))
    add("select_one activity_type", "activity_type", header_labels(_column("activity_type")), True)
    add("text", "title", header_labels(_column("title")), True)
    add("text", "description", header_labels(_column("description")))
    add("date", "start_date", header_labels(_column("start_date")), True)
    add(
        "date",
        "end_date",
        header_labels(_column("end_date")),
        True,
        ". >= ${start_date}",
        gettext_noop("The end date cannot be before the start date."),
    )
    add("select_one region", "region_code", header_labels(_column("region")), True)
    if "cercle" in choices:
        add(
            "select_one cercle",
            "cercle_code",
            header_labels(_column("cercle")),
            choice_filter="region=${region_code}",
        )
    if "theme" in choices:
        add("select_multiple theme", "themes", header_labels(_column("themes")), True)
    for list_name, key in (
        ("campaign", "campaign"),
        ("project", "project"),
        ("organisation", "organiser"),
    ):
        if list_name in choices:
            add(f"select_one {list_name}", key, header_labels(_column(key)))
    add("select_one audience", "audience", header_labels(_column("audience")))
    not_negative = gettext_noop("A number of participants cannot be negative.")
    for key, _sex, _age in COUNT_CELLS:
        add("integer", key, header_labels(_column(key)), False, ". >= 0", not_negative)
    breakdown = " + ".join(f"coalesce(${{{key}}}, 0)" for key, _s, _a in COUNT_CELLS)
    add(
        "integer",
        "total",
        header_labels(_column("total")),
        False,
        f". >= 0 and . = {breakdown}",
        gettext_noop("The total must equal the sum of the participants by sex and age."),
    )
    add("select_one medium", "medium", header_labels(_column("medium")))
    add("text", "outlet", header_labels(_column("outlet")))
    add(
        "integer",
        "estimated_audience",
        header_labels(_column("estimated_audience")),
        False,
        ". >= 0",
        gettext_noop("An estimated audience cannot be negative."),
    )
    add("text", "method", header_labels(_column("method")))
    # The attendance list: one entry per person, a participant code (only its keyed
    # hash is kept at import), sex and age group.
    add(
        "begin_repeat",
        ATTENDANCE_REPEAT,
        list(_both(gettext_noop("Attendance list"), langs).values()),
    )
    for column in ATTENDANCE_COLUMNS:
        if column.key == "participant_code":
            add("text", column.key, [column.header(lang) for lang in langs])
        elif column.key in ("sex", "age_group") and column.key in choices:
            add(f"select_one {column.key}", column.key, [column.header(lang) for lang in langs])
    add("end_repeat", "", [""] * len(langs))

    choice_rows: list[list[Any]] = [["list_name", "name", *label_cols, "region"]]
    for list_name, items in choices.items():
        for item in items:
            choice_rows.append(
                [list_name, item["name"], *[item[lang] for lang in langs], item.get("region", "")]
            )
    version = hashlib.sha256(json.dumps([survey, choice_rows], default=str).encode()).hexdigest()[
        :10
    ]
    title = " / ".join(_both(gettext_noop("musow — activity report"), langs).values())
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [title, FORM_ID, version, LANG_NAMES[langs[0]]],
    ]
    return {"survey": survey, "choices": choice_rows, "settings": settings}


def write_xlsform(target: str | Path | IO[bytes], *, langs: list[str]) -> str:
    """Write the XLSForm; return its version (changes whenever a list or field changes)."""
    from openpyxl import Workbook

    sheets = xlsform_rows(langs)
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(target)
    return str(sheets["settings"][1][2])
