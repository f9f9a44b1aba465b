"""Choices in import files: whole names (commas included) and codes are read first; a
word that only names part of a label is reported with its suggestion, never guessed."""

import pytest
from openpyxl import load_workbook

from musow.activities.models import Activity
from musow.intake.templates import choice_lists
from musow.intake.templates import write_xlsx as template
from tests.intake_helpers import row, run_import, write_csv

pytestmark = pytest.mark.django_db


def themes_of(key: str) -> list[str]:
    activity = Activity.objects.get(source_key=key)
    return sorted(activity.themes.values_list("code", flat=True))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_theme_copied_from_the_templates_own_list_is_accepted(tmp_path, lang):
    path = tmp_path / "modele.xlsx"
    template(path, lang=lang)
    book = load_workbook(path)
    lists = book["Listes" if lang == "fr" else "Lists"]
    column = [c.value for c in lists[1]].index("Thèmes" if lang == "fr" else "Themes") + 1
    names = [
        r[0] for r in lists.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True)
    ]
    names = [n for n in names if n]
    assert any("," in n for n in names), "the list has a name with a comma"
    rows = [row(f"T-{i}", themes=name) for i, name in enumerate(names)]
    rows.append(row("ALL", themes="; ".join(names)))
    ok, out = run_import(write_csv(tmp_path / "a.csv", rows))
    assert ok, out
    assert len(themes_of("ALL")) == len(names)
    assert themes_of("T-1") == ["wps-1325"]


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("Résolution 1325 (Femmes, paix et sécurité)", ["wps-1325"]),
        ("UNSCR 1325 (Women, Peace and Security), VBG", ["gbv", "wps-1325"]),
        ("Résolution 1325 (Femmes, paix et sécurité),Autonomisation", ["empowerment", "wps-1325"]),
        ("gbv, wps-1325", ["gbv", "wps-1325"]),
        ("gbv wps-1325", ["gbv", "wps-1325"]),  # a KoboToolbox multiple choice
        ("VBG\nRésolution 1325", ["gbv", "wps-1325"]),
        ("VSBG; GBV; SGBV", ["gbv"]),
        ("UNSCR 1325", ["wps-1325"]),
    ],
)
def test_whole_names_short_names_acronyms_and_codes_are_exact(tmp_path, cell, codes):
    ok, out = run_import(write_csv(tmp_path / "a.csv", [row("A-1", themes=cell)]))
    assert ok, out
    assert themes_of("A-1") == codes


@pytest.mark.parametrize("cell", ["Femmes", "Women", "paix et sécurité", "Peace and Security"])
def test_a_word_that_is_only_part_of_a_name_is_reported_with_its_suggestion(tmp_path, cell):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1", themes=cell)]))
    assert not ok
    assert "only part of a name" in message
    assert "(wps-1325)" in message and "Write the whole name or the code" in message
    assert Activity.objects.count() == 0


def test_a_partial_name_among_others_names_the_part(tmp_path):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1", themes="gbv; Femmes")]))
    assert not ok
    assert "“Femmes”: This is only part of a name" in message


def test_no_name_of_the_lists_holds_the_documented_separator():
    for lang in ("fr", "en"):
        for name, values in choice_lists(lang).items():
            assert not [v for v in values if ";" in v], name


def test_the_template_offers_a_list_on_multi_valued_columns_and_documents_the_separator(tmp_path):
    path = tmp_path / "template.xlsx"
    template(path, lang="en")
    book = load_workbook(path)
    sheet = book["Activities"]
    headers = [c.value for c in sheet[1]]
    letter = chr(ord("A") + headers.index("Themes"))
    validations = [v for v in sheet.data_validations.dataValidation if letter in str(v.sqref)]
    assert validations and "separated by ;" in validations[0].prompt
    instructions = [r for r in book["Instructions"].iter_rows(values_only=True) if r and r[1]]
    themes = next(r for r in instructions if r[1] == "Themes")
    assert "separated by a semicolon ;" in themes[4]
