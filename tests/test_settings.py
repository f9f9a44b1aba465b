import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def musow(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "musow.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_setup_creates_a_sqlite_database_in_wal_mode(tmp_path: Path):
    db = tmp_path / "musow.sqlite3"
    result = musow(
        "setup", env={"MUSOW_DATABASE_URL": f"sqlite:///{db}", "MUSOW_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM geo_place WHERE level = 1").fetchone()[0] == 11
        assert conn.execute("SELECT count(*) FROM indicators_indicator").fetchone()[0] >= 4
    again = musow(
        "setup", env={"MUSOW_DATABASE_URL": f"sqlite:///{db}", "MUSOW_VAR_DIR": str(tmp_path)}
    )
    assert again.returncode == 0, again.stderr


def test_the_database_is_chosen_by_musow_database_url(tmp_path: Path):
    result = musow(
        "shell",
        "-c",
        "from django.db import connection as c; print(c.vendor, c.settings_dict['NAME'])",
        env={"MUSOW_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["sqlite", str(tmp_path / "x.sqlite3")]
