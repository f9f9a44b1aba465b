"""Every signed-in person changes their own password (issue 9, item 21): a page in French
and English, linked from the signed-in menu, Django's password validators, the change
audited, and the person's other sessions signed out (this one stays)."""

from typing import Any

import pytest
from django.contrib.auth.forms import PasswordChangeForm
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from musow.accounts.models import User
from musow.audit.models import Entry
from tests import web_fixtures
from tests.web_fixtures import url

world = web_fixtures.world

OLD = "musow-demo-2014"
NEW = "Tombouctou-2015-bureau!"


def signed_in(username: str, password: str = OLD) -> Client:
    client = Client()
    response = client.post(url("web:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def change(client: Client, old: str = OLD, new: str = NEW, again: str | None = None, lang="fr"):
    return client.post(
        url("web:password-change", lang=lang),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def page(response: Any) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role", ["admin", "officer", "focal_point", "partner", "viewer"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_role_finds_the_page_from_the_signed_in_menu(world, role, lang):
    client = world.client(role)
    home = page(client.get(url("web:dashboard", lang=lang)))
    address = url("web:password-change", lang=lang)
    assert f'href="{address}"' in home
    with translation.override(lang):
        assert gettext("My password") in home
        response = client.get(address)
        assert response.status_code == 200
        html = page(response)
        assert gettext("Change my password") in html
        for name in ("old_password", "new_password1", "new_password2"):
            assert f'name="{name}"' in html


def test_the_addresses_are_french_and_english():
    assert url("web:password-change", lang="fr") == "/fr/mon-mot-de-passe/"
    assert url("web:password-change", lang="en") == "/en/my-password/"


def test_signed_out_the_page_asks_to_sign_in(db, client):
    response = client.get(url("web:password-change"))
    assert response.status_code == 302 and response["Location"].startswith(url("web:login"))


def test_the_change_signs_out_the_other_sessions_and_keeps_this_one(world):
    here, elsewhere = signed_in("gao"), signed_in("gao")
    response = change(here)
    assert response.status_code == 302
    assert here.get(url("web:dashboard")).status_code == 200  # still signed in here
    gone = elsewhere.get(url("web:dashboard"))
    assert gone.status_code == 302 and gone["Location"].startswith(url("web:login"))
    signed_in("gao", NEW)
    refused = Client().post(url("web:login"), {"username": "gao", "password": OLD})
    assert refused.status_code == 200  # the old password no longer opens


def test_the_change_is_audited_without_the_password(world):
    change(signed_in("gao"))
    gao = User.objects.get(username="gao")
    entry = Entry.objects.for_target(gao).get()
    assert entry.action == Entry.Action.PASSWORD and entry.actor == gao
    assert NEW not in str(entry.changes) + entry.comment


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_wrong_current_password_is_refused_in_the_users_language(world, lang):
    client = signed_in("gao")
    response = change(client, old="not-my-password", lang=lang)
    assert response.status_code == 200
    with translation.override(lang):
        expected = str(PasswordChangeForm.error_messages["password_incorrect"])
    assert escape(expected) in page(response)
    signed_in("gao", OLD)  # unchanged


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_validators_refuse_a_weak_password_in_the_users_language(world, lang):
    client = signed_in("gao")
    response = change(client, new="12345678", lang=lang)
    assert response.status_code == 200
    with translation.override(lang):
        common = gettext("This password is too common.")
        numeric = gettext("This password is entirely numeric.")
    assert escape(common) in page(response) and escape(numeric) in page(response)
    response = change(client, new="gao", lang=lang)
    with translation.override(lang):
        short = ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            8,
        )
    assert escape(short % 8) in page(response)
    assert not Entry.objects.filter(action=Entry.Action.PASSWORD).exists()
    signed_in("gao", OLD)


def test_two_different_new_passwords_are_refused(world):
    response = change(signed_in("gao"), again="Tombouctou-2015-autre!")
    assert response.status_code == 200
    with translation.override("fr"):
        assert escape(gettext("The two password fields didn’t match.")) in page(response)
    signed_in("gao", OLD)
