"""Behind a TLS proxy (issue 9, item 15): musow is served on a loopback address, the proxy
says "https" with X-Forwarded-Proto, and the cookies stay Secure and HSTS is sent. The
header is believed from the configured proxy only. Through HTTP: Django's client, and the
real `musow serve` (gunicorn) answering a request as the proxy forwards it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from musow.accounts.models import User
from tests.web_fixtures import url

MUSOW = Path(sys.executable).parent / "musow"
PROXY = "127.0.0.1"
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.fixture
def account(db):
    return User.objects.create_user("aminata", password="Gao-bureau-2014!", role="focal_point")


def test_through_the_proxy_the_sign_in_cookies_are_secure_and_hsts_is_sent(
    behind_proxy, account, client
):
    page = client.get(url("web:login"), REMOTE_ADDR=PROXY, **HTTPS)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.cookies["csrftoken"]["secure"] is True
    signed_in = client.post(
        url("web:login"),
        {"username": "aminata", "password": "Gao-bureau-2014!"},
        REMOTE_ADDR=PROXY,
        **HTTPS,
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"] is True
    assert signed_in["Strict-Transport-Security"]


def test_the_header_from_anyone_but_the_proxy_is_ignored(behind_proxy, db, client):
    page = client.get(url("web:login"), REMOTE_ADDR="203.0.113.7", **HTTPS)
    assert page.status_code == 200
    assert "Strict-Transport-Security" not in page  # not HTTPS: the header was dropped


def test_without_a_configured_proxy_the_header_is_not_believed(db, client, settings):
    assert settings.TRUSTED_PROXIES == []
    page = client.get(url("web:login"), REMOTE_ADDR=PROXY, **HTTPS)
    assert "Strict-Transport-Security" not in page


# --- the real server -----------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "MUSOW_DATABASE_URL": f"sqlite:///{var / 'musow.sqlite3'}",
        "MUSOW_VAR_DIR": str(var),
        "MUSOW_DEBUG": "0",
    }
    for name in ("MUSOW_EXPECT_DB", "MUSOW_SECURE_COOKIES", "MUSOW_TRUSTED_PROXY"):
        env.pop(name, None)
    done = subprocess.run([MUSOW, "setup"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_and_ask(env: dict[str, str], path: str, headers: dict[str, str]) -> dict[str, list]:
    """Start `musow serve` on a loopback port, send one request as the proxy would; the
    response's headers (name → values)."""
    port = _free_port()
    server = subprocess.Popen(
        [MUSOW, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    found: dict[str, list] = {}
                    for name, value in response.headers.items():
                        found.setdefault(name.lower(), []).append(value)
                    return found
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "musow serve did not answer"
                time.sleep(0.3)
    finally:
        os.killpg(server.pid, 15)
        server.communicate(timeout=30)


@pytest.mark.parametrize(
    "setting", [{"MUSOW_TRUSTED_PROXY": "127.0.0.1"}, {"MUSOW_BEHIND_HTTPS_PROXY": "1"}]
)
def test_musow_serve_on_loopback_behind_the_proxy_keeps_secure_cookies_and_hsts(site, setting):
    headers = serve_and_ask({**site, **setting}, "/fr/connexion/", {"X-Forwarded-Proto": "https"})
    cookie = next(c for c in headers["set-cookie"] if c.startswith("csrftoken="))
    assert "Secure" in cookie, cookie
    assert headers["strict-transport-security"][0].startswith("max-age=31536000")


def test_musow_serve_on_loopback_without_a_proxy_is_the_plain_http_demo(site):
    headers = serve_and_ask(site, "/fr/connexion/", {"X-Forwarded-Proto": "https"})
    cookie = next(c for c in headers["set-cookie"] if c.startswith("csrftoken="))
    assert "Secure" not in cookie  # plain HTTP: Secure cookies would never come back
    assert "strict-transport-security" not in headers  # and the header is not believed


def test_a_proxy_given_by_name_is_refused_with_a_message(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.TRUSTED_PROXIES = ["proxy.example.org"]
    with pytest.raises(CommandError, match="proxy.example.org"):
        call_command("serve", "--addr", "127.0.0.1:8999")
