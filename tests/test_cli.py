"""The command line as a user meets it: `musow activities load`, `musow figures` errors,
`musow demo` from scratch, and `musow serve`. Bad input gives a clear message naming the
field, in French and in English, exit status 1, no traceback, and nothing written."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from musow.activities.models import Activity
from musow.indicators.engine import compute
from tests.factories import record

MUSOW = Path(sys.executable).parent / "musow"
NNBSP = "\u202f"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def cell(count, sex="f", audience="general-public", age="18-plus"):
    return {"audience": audience, "sex": sex, "age": age, "count": count}


def write(tmp_path: Path, records: list, name: str = "activites.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


def good(key: str = "bko-01", **overrides) -> dict:
    return record(key=key, **overrides)


def load_error(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        run("activities", "load", *args)
    return str(exc.value)


# --- activities load: good files ---------------------------------------------------


@pytest.mark.django_db
def test_load_creates_then_changes_nothing(tmp_path):
    file = write(tmp_path, [good("a"), good("b", status="draft")])
    out = run("activities", "load", file, "--lang", "en")
    assert "2 created, 0 updated, 0 unchanged" in out
    assert compute("participants-all", "2014").total == 50
    assert compute("participants-all", "2014", provisional=True).total == 100
    out = run("activities", "load", file, "--lang", "en")
    assert "0 created, 0 updated, 2 unchanged" in out
    assert Activity.objects.count() == 2
    assert set(Activity.objects.values_list("source", flat=True)) == {"import:activites.json"}


@pytest.mark.django_db
def test_load_updates_a_changed_record(tmp_path):
    run("activities", "load", write(tmp_path, [good("a"), good("b")]), "--source", "kobo")
    out = run(
        "activities",
        "load",
        write(tmp_path, [good("a", title="Conférence modifiée"), good("b")]),
        "--source",
        "kobo",
        "--lang",
        "en",
    )
    assert "0 created, 1 updated, 1 unchanged" in out
    assert Activity.objects.filter(source="kobo", title="Conférence modifiée").count() == 1


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(tmp_path):
    out = run("activities", "load", write(tmp_path, [good("a")]), "--dry-run", "--lang", "en")
    assert "Dry run, nothing written" in out and "would create 1" in out
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_lang_may_come_before_the_action(tmp_path):
    out = run("activities", "--lang", "en", "load", write(tmp_path, [good("a")]))
    assert "1 created" in out


# --- activities load: bad input -----------------------------------------------------

BAD = {
    "negative count": (
        {"participation": [cell(10), cell(-3, sex="m")]},
        "participation[2].count",
        "A number of participants cannot be negative (-3).",
        "Un nombre de participants ne peut pas être négatif (-3).",
    ),
    "end before start": (
        {"start": "2014-11-26", "end": "2014-11-20"},
        "end",
        "The end date cannot be before the start date.",
        "La date de fin ne peut pas précéder la date de début.",
    ),
    "unknown place": (
        {"place": "ML99"},
        "place",
        "Unknown place code “ML99”.",
        "Code de lieu inconnu « ML99 ».",
    ),
    "total not the sum": (
        {"total": 60},
        "total",
        "The breakdown by audience, sex and age adds up to 50, but the total given is 60.",
        "La ventilation par public, sexe et âge totalise 50, mais le total indiqué est 60.",
    ),
    "unknown code": (
        {"participation": [cell(30, audience="etudiants"), cell(20, sex="m")]},
        "participation[1].audience",
        "Unknown audience “etudiants”.",
        None,  # its French translation is not in the catalogue yet
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_names_the_record_and_field_and_writes_nothing(tmp_path, case, lang):
    overrides, field, english, french = BAD[case]
    file = write(tmp_path, [good("ok-1"), good("mauvais", **overrides), good("ok-2")])
    message = load_error(file, "--lang", lang)
    assert "mauvais" in message and "ok-1" not in message
    assert f"  - {field}: " in message
    expected = english if lang == "en" else french
    if expected:
        assert f"  - {field}: {expected}" in message
    if lang == "en":
        assert "Nothing was written: 1 problem in 1 record(s)." in message
        assert "Record 2 (key “mauvais”):" in message
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_every_problem_of_every_record_is_reported_at_once(tmp_path):
    bad = good(
        "tout-faux",
        place="ML99",
        start="2014-11-26",
        end="2014-11-20",
        total=60,
        participation=[cell(10), cell(-3, sex="m"), cell(5, audience="etudiants")],
    )
    file = write(tmp_path, [good("ok"), bad, good("ok"), {"type": "conference"}])
    message = load_error(file, "--lang", "en")
    for line in [
        "Record 2 (key “tout-faux”):",
        "  - place: Unknown place code “ML99”.",
        "  - participation[3].audience: Unknown audience “etudiants”.",
        "  - end: The end date cannot be before the start date.",
        "  - participation[2].count: A number of participants cannot be negative (-3).",
        "  - total: ",
        "Record 3 (key “ok”):",
        "  - key: The key “ok” is already used by record 1.",
        "Record 4:",
        "  - key: Each record needs a key",
        "  - place: The place is required.",
    ]:
        assert line in message
    assert Activity.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, expected",
    [
        ("[{", "is not valid JSON (line 1, column 3)"),
        ('{"key": "a"}', "must hold a JSON list of records"),
        ("[1, 2]", "must hold a JSON list of records"),
    ],
)
def test_a_file_that_is_not_a_list_of_records_is_refused(tmp_path, content, expected):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    assert expected in load_error(str(path), "--lang", "en")


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    assert "No such file" in load_error(str(tmp_path / "absent.json"), "--lang", "en")


def test_an_unknown_language_is_refused(tmp_path):
    assert "Unknown language “de”" in load_error(str(tmp_path / "x.json"), "--lang", "de")


# --- figures: bad requests ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, english, french",
    [
        (["--indicator", "nope"], "Unknown indicator “nope”", "Indicateur inconnu « nope »"),
        (["--period", "2014-Q5"], "Unknown period “2014-Q5”", "Période inconnue « 2014-Q5 »"),
    ],
)
def test_figures_refuses_an_unknown_indicator_or_period(args, english, french):
    for lang, expected in (("en", english), ("fr", french)):
        with pytest.raises(CommandError) as exc:
            run(
                "figures",
                *(["--year", "2014"] if "--period" not in args else []),
                *args,
                "--lang",
                lang,
            )
        assert expected in str(exc.value)


# --- musow demo from an empty database ----------------------------------------------


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_then_figures_in_both_languages():
    out = run("demo")
    assert "Base de données prête." in out
    assert "créé" in out or "created" in out
    assert "/fr/connexion/" in out and "admin" in out
    french = run("figures", "--year", "2014")
    assert f"5{NNBSP}400 personnes" in french and f"1{NNBSP}113 membres" in french
    english = run("figures", "--year", "2014", "--lang", "en")
    assert "5,400 people" in english and "1,113 newly recruited" in english


# --- the real `musow` program: exit status, no traceback ----------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A set-up SQLite database of its own, for `musow` run as a program."""
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "MUSOW_DATABASE_URL": f"sqlite:///{var / 'musow.sqlite3'}",
        "MUSOW_VAR_DIR": str(var),
        "MUSOW_DEBUG": "0",
    }
    env.pop("MUSOW_EXPECT_DB", None)
    done = subprocess.run([MUSOW, "setup"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return env


def musow(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([MUSOW, *args], env=site, capture_output=True, text=True, timeout=120)


def test_the_program_exits_1_without_a_traceback_on_an_unknown_indicator(site):
    done = musow(site, "figures", "--year", "2014", "--indicator", "nope", "--lang", "en")
    assert done.returncode == 1
    assert "Unknown indicator “nope”" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_the_program_exits_1_without_a_traceback_on_an_unknown_period(site):
    done = musow(site, "figures", "--period", "2014-13", "--lang", "fr")
    assert done.returncode == 1
    assert "Période inconnue" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_the_program_loads_all_or_nothing(site, tmp_path):
    bad = write(tmp_path, [good("a"), good("b", place="ML99")], "bad.json")
    done = musow(site, "activities", "load", bad, "--lang", "en")
    assert done.returncode == 1
    assert "Record 2 (key “b”):" in done.stderr and "place: Unknown place code" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    figures = musow(
        site, "figures", "--year", "2014", "--indicator", "participants-all", "--format", "json"
    )
    assert json.loads(figures.stdout)["figures"][0]["total"] == 0  # nothing was written
    done = musow(site, "activities", "load", write(tmp_path, [good("a")], "ok.json"))
    assert done.returncode == 0, done.stderr
    figures = musow(
        site, "figures", "--year", "2014", "--indicator", "participants-all", "--format", "json"
    )
    assert json.loads(figures.stdout)["figures"][0]["total"] == 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local test server)
        return response.status, response.read()


def test_serve_serves_pages_and_static_files_with_debug_off(site):
    port = _free_port()
    server = subprocess.Popen(
        [MUSOW, "serve", "--addr", f"127.0.0.1:{port}"],
        env=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"{base}/fr/admin/login/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "musow serve did not answer"
                time.sleep(0.3)
        assert status == 200 and b"csrfmiddlewaretoken" in body
        status, css = _get(f"{base}/static/admin/css/base.css")
        assert status == 200 and len(css) > 1000
    finally:
        os.killpg(server.pid, 15)
        output, _ = server.communicate(timeout=30)
    assert f"{base}" in output


def test_serve_on_a_database_not_set_up_says_what_to_do(tmp_path):
    env = {
        **os.environ,
        "MUSOW_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "MUSOW_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [MUSOW, "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "musow setup" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
