"""Attendee keys keep every script: Arabic and N'Ko names are different people, a name
that identifies no one is refused, and the keys of plain ASCII names do not change."""

import hashlib
import hmac
import unicodedata

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from musow.activities.models import Activity, Attendance
from musow.activities.services import attendee_key, identifies_no_one
from tests.intake_helpers import run_import, write_xlsx

pytestmark = pytest.mark.django_db

ARABIC = ["محمد", "أحمد", "فاطمة"]
NKO = ["ߡߊߡߊߘߎ", "ߝߊߕߎߡߊ", "ߊߡߌߣߊߕߊ"]  # Mamadu, Fatuma, Aminata in N'Ko


def _key_before(identity: str) -> str:
    """The key as it was made before this normalisation (ASCII letters only)."""
    text = unicodedata.normalize("NFKD", identity).encode("ascii", "ignore").decode()
    text = " ".join(text.lower().split())
    return hmac.new(settings.ATTENDEE_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def test_arabic_and_nko_names_give_distinct_keys():
    keys = {attendee_key(f"{name}||1990") for name in ARABIC + NKO}
    assert len(keys) == 6
    assert attendee_key("||1990") not in keys


def test_the_same_name_written_with_or_without_marks_and_in_another_case_is_one_person():
    assert attendee_key("Aminata Traoré") == attendee_key("  AMINATA   traore ")
    assert attendee_key("مُحَمَّد") == attendee_key("محمد")  # Arabic vowel signs
    assert attendee_key("ߡߊ߫ߡߊߘߎ") == attendee_key("ߡߊߡߊߘߎ")  # an N'Ko tone mark
    assert attendee_key("Ɲɛlɛ Koné") != attendee_key("l Kone")  # Bambara letters are kept


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_keys_of_plain_ascii_names_are_those_made_before(name):
    assert attendee_key(name) == _key_before(name)


@pytest.mark.parametrize("text", ["", "   ", "...", "\u064e\u0651", "-- ' --"])
def test_a_code_or_name_without_a_letter_or_digit_identifies_no_one(text):
    assert identifies_no_one(text)


def test_a_list_of_three_arabic_or_nko_names_is_not_refused_as_duplicates(tmp_path):
    header = ["ID", "Activity type", "Title", "Start date", "Region", "Audience"]
    counts = ["Women (18 and over)"]
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activities": [
                header + counts,
                ["AR-1", "training", "Formation", "2014-06-02", "ML07", "general-public", 3],
                ["NK-1", "training", "Formation", "2014-06-03", "ML07", "general-public", 3],
            ],
            "Attendance": [
                ["ID", "Full name", "Phone", "Year of birth", "Sex"],
                *[["AR-1", name, None, 1990, "f"] for name in ARABIC],
                *[["NK-1", name, "+223 76 00 00 00", None, "f"] for name in NKO],
            ],
        },
    )
    ok, out = run_import(path)
    assert ok, out
    for key in ("AR-1", "NK-1"):
        activity = Activity.objects.get(source_key=key)
        assert Attendance.objects.filter(activity=activity).count() == 3
    assert Attendance.objects.values("attendee").distinct().count() == 6


def test_an_attendee_whose_name_or_code_identifies_no_one_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activities": [
                ["ID", "Activity type", "Title", "Start date", "Region", "Audience"]
                + ["Women (18 and over)"],
                ["A-1", "training", "Formation", "2014-06-02", "ML07", "general-public", 3],
            ],
            "Attendance": [
                ["ID", "Participant code", "Full name", "Year of birth"],
                ["A-1", None, "\u064e\u0651", 1990],
                ["A-1", "...", None, None],
            ],
        },
    )
    ok, message = run_import(path)
    assert not ok
    assert message.count("This identifies no one") == 2
    assert "Sheet Attendance, row 2" in message and "Sheet Attendance, row 3" in message
    assert Activity.objects.count() == 0
