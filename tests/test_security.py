"""Security of the web application, through HTTP: sign-in and lockout (django-axes),
sessions that expire, CSRF on every form, security headers, a Content-Security-Policy
with no inline script or style, Argon2 password hashes, secure cookies off DEBUG."""

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from musow.accounts.models import User
from tests import web_fixtures
from tests.web_fixtures import url

world = web_fixtures.world  # the fixture: one account per role, two activities

LANGS = ["fr", "en"]


def sign_in(client: Client, username: str, password: str, lang: str = "fr") -> Any:
    return client.post(url("web:login", lang=lang), {"username": username, "password": password})


@pytest.fixture
def focal(db):
    return User.objects.create_user(
        "aminata", password="Gao-bureau-2014!", role=User.Role.FOCAL_POINT
    )


# --- signing in ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_and_out(focal, client, lang):
    page = client.get(url("web:login", lang=lang))
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = sign_in(client, "aminata", "Gao-bureau-2014!", lang)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(focal.pk)
    assert client.post(url("web:logout", lang=lang)).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_password_gets_a_message_in_the_users_language(focal, client, lang):
    response = sign_in(client, "aminata", "wrong", lang)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    with translation.override(lang):
        expected = gettext(
            "Please enter a correct %(username)s and password. Note that both "
            "fields may be case-sensitive."
        ) % {"username": User._meta.get_field("username").verbose_name}
    assert escape(expected) in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_an_account_is_locked_after_five_failures_with_a_message_in_the_users_language(
    focal, client, lang
):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "aminata", "wrong", lang).status_code == 200
    locked = sign_in(client, "aminata", "wrong", lang)
    assert locked.status_code == 429
    with translation.override(lang):
        expected = ngettext(
            "This account is locked after %(limit)s failed sign-in attempt.",
            "This account is locked after %(limit)s failed sign-in attempts.",
            5,
        ) % {"limit": 5}
        title = gettext("Account locked")
    html = locked.content.decode()
    assert escape(expected) in html and escape(title) in html
    # Even the right password is refused now, from another browser too.
    again = sign_in(Client(), "aminata", "Gao-bureau-2014!", lang)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts are not locked.
    User.objects.create_user("moussa", password="Tombouctou-2014!", role=User.Role.OFFICER)
    assert sign_in(Client(), "moussa", "Tombouctou-2014!", lang).status_code == 302


def test_a_success_clears_the_failures(focal, client):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "aminata", "wrong")
    assert sign_in(client, "aminata", "Gao-bureau-2014!").status_code == 302
    client.post(url("web:logout"))
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "aminata", "wrong").status_code == 200


def test_a_deactivated_account_cannot_sign_in(focal, client):
    focal.is_active = False
    focal.save()
    assert sign_in(client, "aminata", "Gao-bureau-2014!").status_code == 200
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(focal):
    assert focal.password.startswith("argon2")


def test_staff_pages_ask_to_sign_in_and_come_back(client, db):
    target = url("web:activities")
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{url('web:login')}?next={target}"


# --- sessions -------------------------------------------------------------------------------


def test_sessions_end_with_the_browser_and_after_a_working_day(focal, client):
    response = sign_in(client, "aminata", "Gao-bureau-2014!")
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert django_settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert client.session.get_expiry_age() <= 8 * 3600
    assert client.session.get_expire_at_browser_close()


def test_cookies_are_secure_when_not_in_debug(focal, client):
    assert not django_settings.DEBUG
    response = sign_in(client, "aminata", "Gao-bureau-2014!")
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["secure"]
    assert django_settings.CSRF_COOKIE_SECURE


# --- CSRF on every form ------------------------------------------------------------------


POST_PAGES = [
    ("web:login", False),
    ("web:logout", False),
    ("web:activity-new", False),
    ("web:activity-edit", True),
    ("web:activity-submit", True),
    ("web:activity-validate", True),
    ("web:activity-return", True),
    ("web:activity-delete", True),
    ("web:activity-restore", True),
    ("web:user-new", False),
    ("web:user", "user"),
    ("web:user-password", "user"),
]


@pytest.mark.parametrize(("name", "target"), POST_PAGES)
def test_every_form_needs_its_csrf_token(world, name, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    if target == "user":
        address = url(name, world.users["focal_point"].pk)
    elif target:
        address = url(name, world.inside.pk)
    else:
        address = url(name)
    response = client.post(address, {"comment": "x", "username": "admin", "password": "x"})
    assert response.status_code == 403
    world.inside.refresh_from_db()
    assert world.inside.status == "draft"


# --- headers and the Content-Security-Policy --------------------------------------------------


def test_security_headers_and_csp(world):
    client = world.client("officer")
    response = client.get(url("web:activities"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_hsts_over_https_when_not_in_debug(world):
    response = world.client("officer").get(url("web:activities"), secure=True)
    assert int(response["Strict-Transport-Security"].split("max-age=")[1].split(";")[0]) >= 3600


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script without src
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick=, onload=…
    re.compile(r"javascript:", re.I),
]


def staff_pages(w: Any) -> list[tuple[str, str]]:
    return [
        ("anonymous", url("web:login")),
        ("anonymous", url("web:figures")),
        ("officer", url("web:dashboard")),
        ("officer", url("web:activities")),
        ("officer", url("web:activities") + "?period=nonsense"),
        ("officer", url("web:activity", w.inside.pk)),
        ("officer", url("web:activity-new")),
        ("officer", url("web:activity-edit", w.inside.pk)),
        ("admin", url("web:users")),
        ("admin", url("web:user-new")),
        ("admin", url("web:user", w.users["focal_point"].pk)),
        ("admin", url("web:user-password", w.users["focal_point"].pk)),
        ("viewer", url("web:activities")),  # the 403 page
        ("officer", url("web:activity", 999999)),  # the 404 page
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_has_an_inline_script_or_style(world, lang):
    with translation.override(lang):
        pages = staff_pages(world)
    for role, address in pages:
        response = world.client(role).get(address)
        html = response.content.decode()
        for pattern in INLINE:
            assert not pattern.search(html), (address, pattern.pattern, pattern.search(html))
