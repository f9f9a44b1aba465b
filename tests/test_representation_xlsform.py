"""The composition form for focal points on KoboCollect / ODK Collect (`musow xlsform
--compositions`): bilingual, the live bodies and roles as choices, numbers never
negative, a declared total that must equal the roles' sum; pyxform converts it."""

from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.representation_factories import make_body

pytestmark = pytest.mark.django_db


def test_the_composition_xlsform_is_bilingual_and_converts(tmp_path):
    from pyxform.xls2xform import convert

    make_body(
        "csa", kind="follow-up-committee", name_fr="Comité de suivi", name_en="Monitoring committee"
    )
    path = tmp_path / "compositions.xlsx"
    call_command("xlsform", "--compositions", out=str(path), stdout=StringIO())
    book = load_workbook(path)
    survey = [[c.value for c in row] for row in book["survey"].iter_rows()]
    assert survey[0][2:4] == ["label::Français (fr)", "label::English (en)"]
    names = [row[1] for row in survey[1:]]
    assert names[:3] == ["start", "end", "body"] and "roles" in names and "declared_total" in names
    women = next(row for row in survey if row[1] == "women")
    assert ". >= 0" in women[survey[0].index("constraint")]
    total = next(row for row in survey if row[1] == "declared_total")
    assert total[survey[0].index("constraint")] == ". = ${counted}"
    choices = [[c.value for c in row] for row in book["choices"].iter_rows()]
    assert ["body", "csa", "Comité de suivi", "Monitoring committee"] in choices
    assert any(row[0] == "role" and row[1] == "member" for row in choices)
    # ODK Validate (Java) checks what Collect will run, as for the activities' form.
    warnings: list[str] = []
    xform = convert(str(path), warnings=warnings, validate=True).xform
    assert "musow_compositions" in xform and "sum(" in xform
