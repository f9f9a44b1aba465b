"""musow's two secrets (issue 9, item 14): outside DEBUG, nothing starts without its own
MUSOW_SECRET_KEY and MUSOW_ATTENDEE_KEY (no public fallback, the attendee key never
derived from the secret key), and the attendee key is rotated by re-keying, with every
count unchanged (`musow attendees rekey`)."""

import os
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError

from musow.accounts.models import AttendeeKeyCheck
from musow.activities.models import Attendee
from musow.activities.services import attendee_key
from musow.audit.models import Entry
from musow.indicators.engine import compute
from musow.indicators.models import Indicator
from tests.devkeys import TEST_ATTENDEE_KEY
from tests.factories import make_activity

NEW_KEY = "b1Yq1n8mC3x0fQ6sQm0l2x6yWm6a8Yb0rJX0m3Jd2hQ-new-attendee-key"
SECRETS = ("MUSOW_SECRET_KEY", "MUSOW_ATTENDEE_KEY", "MUSOW_DEBUG")


def program(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`python -m musow.cli …` (or any `python` line) with the given secrets only."""
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [sys.executable, *args],
        env={
            **clean,
            "MUSOW_DATABASE_URL": f"sqlite:///{cwd / 'x.sqlite3'}",
            "MUSOW_VAR_DIR": str(cwd),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


# --- start-up: the secrets are required outside DEBUG --------------------------------


def test_a_command_refuses_to_start_without_the_attendee_key(tmp_path):
    done = program("-m", "musow.cli", "check", cwd=tmp_path, MUSOW_SECRET_KEY="s" * 50)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "MUSOW_ATTENDEE_KEY" in done.stderr
    assert "secrets.token_urlsafe" in done.stderr  # how to make one
    assert "Traceback" not in done.stderr


def test_a_command_refuses_to_start_without_the_secret_key(tmp_path):
    done = program("-m", "musow.cli", "check", cwd=tmp_path, MUSOW_ATTENDEE_KEY="a" * 50)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "MUSOW_SECRET_KEY n'est pas défini" in done.stderr
    assert "MUSOW_SECRET_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_attendee_key_may_not_be_the_secret_key(tmp_path):
    done = program(
        "-m", "musow.cli", "check", cwd=tmp_path, MUSOW_SECRET_KEY="s" * 50,
        MUSOW_ATTENDEE_KEY="s" * 50,
    )  # fmt: skip
    assert done.returncode == 2
    assert "MUSOW_ATTENDEE_KEY must not reuse MUSOW_SECRET_KEY" in done.stderr


def test_the_public_development_values_are_refused_outside_debug(tmp_path):
    done = program(
        "-m", "musow.cli", "check", cwd=tmp_path,
        MUSOW_SECRET_KEY="django-insecure-musow-development-key", MUSOW_ATTENDEE_KEY="a" * 50,
    )  # fmt: skip
    assert done.returncode == 2
    assert "MUSOW_SECRET_KEY has the public development value" in done.stderr


def test_the_web_server_refuses_to_start_without_its_secrets(tmp_path):
    done = program("-c", "import musow.wsgi", cwd=tmp_path)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "MUSOW_SECRET_KEY is not set" in done.stderr
    assert "MUSOW_ATTENDEE_KEY is not set" in done.stderr


def test_with_both_secrets_or_in_debug_the_commands_start(tmp_path):
    done = program(
        "-m", "musow.cli", "check", cwd=tmp_path, MUSOW_SECRET_KEY="s" * 50,
        MUSOW_ATTENDEE_KEY="a" * 50,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = program("-m", "musow.cli", "check", cwd=tmp_path, MUSOW_DEBUG="1")
    assert done.returncode == 0, done.stderr


def test_help_needs_no_secret(tmp_path):
    done = program("-m", "musow.cli", "help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_attendee_key_does_not_follow_the_secret_key(settings):
    before = attendee_key("GAO-0001")
    settings.SECRET_KEY = "another-secret-key-after-a-routine-rotation-0123456789"
    assert attendee_key("GAO-0001") == before
    settings.ATTENDEE_KEY = "another-attendee-key-0123456789-0123456789"
    assert attendee_key("GAO-0001") != before


# --- re-keying ---------------------------------------------------------------------------


def person(code: str, sex: str = "f") -> dict:
    return {"code": code, "sex": sex, "audience": "students", "age": "18-plus"}


def counts(attendance: list[dict]) -> list[dict]:
    sexes = Counter(a["sex"] for a in attendance)
    return [
        {"audience": "students", "sex": sex, "age": "18-plus", "count": n}
        for sex, n in sorted(sexes.items())
    ]


@pytest.fixture
def people(db):
    """Three sessions with attendance lists: 5 different people, 9 attendances; and an
    indicator that counts unique persons."""
    lists = {
        "s1": [person("ETU-1"), person("ETU-2"), person("ETU-3", "m")],
        "s2": [person("ETU-1"), person("ETU-2"), person("ETU-4")],
        "s3": [person("ETU-1"), person("ETU-5", "m"), person("ETU-4")],
    }
    for key, attendance in lists.items():
        make_activity(
            key=key,
            place={"s1": "ML07", "s2": "ML07", "s3": "ML09"}[key],
            attendance=attendance,
            participation=counts(attendance),
        )
    return Indicator.objects.create(
        code="unique-people",
        name_fr="Personnes",
        name_en="People",
        rule="unique_persons",
        disaggregations=["sex", "region", "activity_type"],
    )


def figures(indicator):
    result = {}
    for by in ((), ("sex",), ("region",), ("activity_type",)):
        found = compute(indicator, "2014", by=list(by))
        rows = sorted((tuple(m.code for m in r.key.values()), r.value) for r in found.rows)
        result[by] = (found.total, rows)
    return result


def rekey(monkeypatch, *extra: str) -> str:
    monkeypatch.setenv("MUSOW_ATTENDEE_KEY_NEW", NEW_KEY)
    out = StringIO()
    call_command("attendees", "rekey", "--lang", "en", *extra, stdout=out)
    return out.getvalue()


def test_rekeying_keeps_every_unique_person_figure(people, settings, monkeypatch):
    before = figures(people)
    assert before[()][0] == 5
    keys_before = set(Attendee.objects.values_list("key", flat=True))

    out = rekey(monkeypatch)

    assert "5 attendee keys re-keyed" in out
    assert "MUSOW_ATTENDEE_KEY" in out
    keys_after = set(Attendee.objects.values_list("key", flat=True))
    assert len(keys_after) == 5 and not keys_after & keys_before  # every key changed
    assert figures(people) == before
    # With the chain configured, the same person gets the same key as before: a new list
    # with ETU-1 adds an attendance, not a person.
    settings.ATTENDEE_KEY = f"{TEST_ATTENDEE_KEY} {NEW_KEY}"
    assert attendee_key("ETU-1") in keys_after
    new = [person("ETU-1")]
    make_activity(key="s4", place="ML07", attendance=new, participation=counts(new))
    assert Attendee.objects.count() == 5
    assert figures(people)[()][0] == 5


def test_rekeying_is_audited_and_the_old_key_alone_no_longer_starts_musow(
    people, settings, monkeypatch
):
    rekey(monkeypatch)
    entry = Entry.objects.get(target_type="accounts.attendeekeycheck")
    assert entry.changes == {"keys": [1, 2]}
    # The old key alone: the start-up check refuses, and says what to do.
    errors = [e for e in checks.run_checks() if e.id == "musow.E001"]
    assert errors and "MUSOW_ATTENDEE_KEY" in errors[0].msg
    with pytest.raises(CommandError, match="were made with other keys"):
        call_command("attendees", "check", "--lang", "en", stdout=StringIO())
    settings.ATTENDEE_KEY = f"{TEST_ATTENDEE_KEY} {NEW_KEY}"
    assert not [e for e in checks.run_checks() if e.id == "musow.E001"]
    out = StringIO()
    call_command("attendees", "check", "--lang", "en", stdout=out)
    assert "2 key(s) in the chain" in out.getvalue()


def test_a_wrong_configured_key_cannot_rekey_and_nothing_changes(people, settings, monkeypatch):
    keys_before = set(Attendee.objects.values_list("key", flat=True))
    settings.ATTENDEE_KEY = "a-key-that-did-not-make-these-keys-0123456789"
    with pytest.raises(CommandError, match="were made with other keys"):
        rekey(monkeypatch)
    assert set(Attendee.objects.values_list("key", flat=True)) == keys_before
    assert AttendeeKeyCheck.objects.get().keys == 1


@pytest.mark.parametrize("bad", ["short", TEST_ATTENDEE_KEY])
def test_a_weak_or_reused_new_key_is_refused(people, monkeypatch, bad):
    monkeypatch.setenv("MUSOW_ATTENDEE_KEY_NEW", bad)
    with pytest.raises(CommandError):
        call_command("attendees", "rekey", "--lang", "en", stdout=StringIO())
    assert AttendeeKeyCheck.objects.get().keys == 1


def test_rekeying_without_the_new_key_in_the_environment_says_how(db, monkeypatch):
    monkeypatch.delenv("MUSOW_ATTENDEE_KEY_NEW", raising=False)
    with pytest.raises(CommandError, match="MUSOW_ATTENDEE_KEY_NEW"):
        call_command("attendees", "rekey", "--lang", "en", stdout=StringIO())


def test_an_attendance_file_imported_again_after_rekeying_changes_nothing(
    db, tmp_path, settings, monkeypatch
):
    from tests.intake_helpers import run_import, write_xlsx

    header = ["ID", "Activity type", "Title", "Start date", "Region", "Total participants"]
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activities": [header, ["T-1", "training", "Induction", "2014-06-02", "ML09", 2]],
            "Participation": [
                ["ID", "Audience", "Sex", "Age group", "Number of participants"],
                ["T-1", "mission-military", "m", "18-plus", 1],
                ["T-1", "mission-police", "f", "18-plus", 1],
            ],
            "Attendance": [
                ["ID", "Participant code", "Full name", "Phone", "Year of birth", "Sex"],
                ["T-1", "MIL-0001", None, None, None, "m"],
                ["T-1", None, "Aminata Traoré", "+223 76 12 34 56", None, "f"],
            ],
        },
    )
    ok, out = run_import(path)
    assert ok, out
    rekey(monkeypatch)
    settings.ATTENDEE_KEY = f"{TEST_ATTENDEE_KEY} {NEW_KEY}"
    ok, out = run_import(path)
    assert ok, out
    assert "1 unchanged" in out, out
    assert Attendee.objects.count() == 2
