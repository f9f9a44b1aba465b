"""End-to-end tests: a real headless Chromium (Debian's package, driven by Playwright)
against musow served by gunicorn, as in production (DEBUG off, static files by
WhiteNoise), over its own database loaded with the 2014 demo data set.

The database is of the kind the suite runs on: a SQLite file in a temporary folder, or,
when MUSOW_DATABASE_URL names a PostgreSQL server, a database of its own on that server
(created, then dropped). Screenshots go to var/screenshots/ (not committed).

Skipped, with the reason, when /usr/bin/chromium or Playwright is missing.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
DEMO_PASSWORD = "musow-demo-2014"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Say why the browser tests do not run, rather than failing on a missing browser."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "browser tests need Playwright (pip install -e '.[dev]')"
    if reason:
        for item in items:
            if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url(tmp: Path) -> tuple[str, Any]:
    """A fresh database for the server, and what drops it afterwards."""
    url = os.getenv("MUSOW_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None
    import psycopg

    name = (os.getenv("MUSOW_TEST_DB_NAME") or "test_musow") + "_e2e"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """musow served by gunicorn on a free loopback port, over the 2014 demo data."""
    tmp = tmp_path_factory.mktemp("e2e")
    database_url, drop = _database_url(tmp)
    env = {
        **os.environ,
        "MUSOW_DATABASE_URL": database_url,
        "MUSOW_VAR_DIR": str(tmp),
        "MUSOW_DEBUG": "0",
        "MUSOW_SECURE_COOKIES": "0",  # plain HTTP on the loopback
        "MUSOW_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "musow.settings",
    }
    musow = [sys.executable, "-m", "musow.cli"]
    demo = subprocess.run([*musow, "demo"], env=env, capture_output=True, text=True)
    if demo.returncode != 0:
        drop()
        raise RuntimeError(f"musow demo failed:\n{demo.stdout}\n{demo.stderr}")
    port = _free_port()
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [*musow, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/fr/", process, tmp / "server.log")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        drop()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    # A busy machine (several suites at once) may take over a minute to start gunicorn.
    deadline = time.monotonic() + float(os.getenv("MUSOW_E2E_START_WAIT", "60"))
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer in time:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot() -> Any:
    """screenshot(page, "name"): a full-page PNG under var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def new_page(browser: Any, server: str, *, phone: bool = False) -> Any:
    context = browser.new_context(
        base_url=server,
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=1,
        locale="fr-FR",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page: Any, username: str, lang: str = "fr") -> None:
    """Sign in through the link every page has, as a person would (demo password)."""
    from playwright.sync_api import expect

    page.goto(f"/{lang}/")
    page.get_by_role("link", name=re.compile(r"connexion|sign-in", re.I)).click()
    page.get_by_label(re.compile(r"utilisateur|username", re.I)).fill(username)
    page.get_by_label(re.compile(r"mot de passe|password", re.I)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile(r"se connecter|sign in", re.I)).click()
    expect(
        page.get_by_role("button", name=re.compile(r"déconnecter|sign out", re.I))
    ).to_be_visible()
