"""Users and roles, managed by the unit admin in the app, through HTTP; every change is
in the audit trail (never a password)."""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from tests import web_fixtures
from tests.web_fixtures import url

world = web_fixtures.world  # the fixture: one account per role, two activities

LANGS = ["fr", "en"]


def msg(lang: str, msgid: str) -> str:
    with translation.override(lang):
        return escape(gettext(msgid))


def region(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def new_user(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "aminata",
        "password1": "Tombouctou-bureau-2014",
        "password2": "Tombouctou-bureau-2014",
        "first_name": "Aminata",
        "last_name": "Traoré",
        "email": "aminata@example.org",
        "role": "focal_point",
        "regions": [region("ML06").pk],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def edit(user: User, **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "regions": [p.pk for p in user.regions.all()],
        "organisation": user.organisation_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def test_the_admin_creates_a_focal_point_who_signs_in_and_sees_their_region(world):
    admin = world.client("admin")
    response = admin.post(url("web:user-new"), new_user())
    assert response.status_code == 302
    user = User.objects.get(username="aminata")
    assert user.role == User.Role.FOCAL_POINT and list(user.regions.all()) == [region("ML06")]
    assert user.password.startswith("md5") or user.password.startswith("argon2")
    entry = Entry.objects.for_target(user).get()
    assert entry.action == "create" and entry.actor == world.users["admin"]
    assert entry.changes["role"] == [None, "focal_point"]
    assert "password" not in entry.changes
    client = Client()
    signed = client.post(
        url("web:login"), {"username": "aminata", "password": "Tombouctou-bureau-2014"}
    )
    assert signed.status_code == 302
    assert client.get(url("web:activity", world.inside.pk)).status_code == 404  # Gao


@pytest.mark.parametrize("lang", LANGS)
def test_a_role_without_its_scope_is_refused_with_a_message(world, lang):
    admin = world.client("admin")
    response = admin.post(url("web:user-new", lang=lang), new_user(regions=[]))
    assert response.status_code == 200
    assert (
        msg(lang, "A regional focal point needs at least one region.") in response.content.decode()
    )
    response = admin.post(url("web:user-new", lang=lang), new_user(role="partner", regions=[]))
    assert msg(lang, "A partner organisation account needs its organisation.") in (
        response.content.decode()
    )
    assert not User.objects.filter(username="aminata").exists()


def test_a_weak_or_mismatched_password_is_refused(world):
    admin = world.client("admin")
    weak = admin.post(url("web:user-new"), new_user(password1="12345678", password2="12345678"))
    assert weak.status_code == 200
    assert msg("fr", "This password is entirely numeric.") in weak.content.decode()
    differ = admin.post(url("web:user-new"), new_user(password2="autre-chose-2014"))
    assert msg("fr", "The two passwords differ.") in differ.content.decode()
    assert not User.objects.filter(username="aminata").exists()


def test_a_taken_username_is_refused(world):
    response = world.client("admin").post(url("web:user-new"), new_user(username="GAO"))
    assert msg("fr", "This username is already taken.") in response.content.decode()


def test_changing_a_role_is_audited_and_shown_on_the_account_page(world):
    admin = world.client("admin")
    gao = world.users["focal_point"]
    response = admin.post(url("web:user", gao.pk), edit(gao, role="officer"))
    assert response.status_code == 302
    gao.refresh_from_db()
    assert gao.role == User.Role.OFFICER
    assert not gao.regions.exists()  # an officer sees everything: no region kept
    entry = Entry.objects.for_target(gao).get()
    assert entry.changes["role"] == ["focal_point", "officer"]
    assert entry.changes["regions"] == [["ML07"], []]
    html = admin.get(url("web:user", gao.pk)).content.decode()
    history = html[html.index('id="history"') :]
    with translation.override("fr"):
        before, after = str(User.Role.FOCAL_POINT.label), str(User.Role.OFFICER.label)
    assert escape(before) in history and escape(after) in history and "admin" in history


def test_a_deactivated_account_cannot_sign_in_any_more(world):
    admin = world.client("admin")
    gao = world.users["focal_point"]
    gao.set_password("Gao-bureau-2014!")
    gao.save()
    admin.post(url("web:user", gao.pk), edit(gao, is_active=""))
    gao.refresh_from_db()
    assert not gao.is_active
    client = Client()
    client.post(url("web:login"), {"username": "gao", "password": "Gao-bureau-2014!"})
    assert "_auth_user_id" not in client.session
    entry = Entry.objects.for_target(gao).get()
    assert entry.changes["is_active"] == [True, False]


def test_setting_a_password_is_audited_without_the_password(world):
    admin = world.client("admin")
    gao = world.users["focal_point"]
    response = admin.post(
        url("web:user-password", gao.pk),
        {"new_password1": "Nouveau-mot-2014", "new_password2": "Nouveau-mot-2014"},
    )
    assert response.status_code == 302
    gao.refresh_from_db()
    assert gao.check_password("Nouveau-mot-2014")
    entry = Entry.objects.for_target(gao).get()
    assert entry.action == "password" and entry.changes == {}
    assert "Nouveau-mot-2014" not in str(entry.changes) + entry.comment


def test_the_last_admin_keeps_the_admin_role(world):
    admin = world.client("admin")
    me = world.users["admin"]
    response = admin.post(url("web:user", me.pk), edit(me, role="officer"))
    assert response.status_code == 200
    assert msg("fr", "This is the last active unit admin: make another admin first.") in (
        response.content.decode()
    )
    me.refresh_from_db()
    assert me.role == User.Role.ADMIN and me.is_active


def test_the_admin_role_opens_the_django_admin_and_other_roles_do_not(world):
    admin = world.client("admin")
    gao = world.users["focal_point"]
    admin.post(url("web:user", gao.pk), edit(gao, role="admin"))
    gao.refresh_from_db()
    assert gao.is_staff
    admin.post(url("web:user", gao.pk), edit(gao, role="viewer", regions=[]))
    gao.refresh_from_db()
    assert not gao.is_staff


def test_only_the_unit_admin_manages_users(world):
    for role in ("officer", "focal_point", "partner", "viewer"):
        client = world.client(role)
        assert client.get(url("web:users")).status_code == 403
        assert client.post(url("web:user-new"), new_user()).status_code == 403
    assert not User.objects.filter(username="aminata").exists()


def test_a_new_password_from_the_admin_unlocks_a_locked_account(world):
    gao = world.users["focal_point"]
    for _ in range(5):
        Client().post(url("web:login"), {"username": "gao", "password": "wrong"})
    assert Client().post(url("web:login"), {"username": "gao", "password": "x"}).status_code == 429
    listing = world.client("admin").get(url("web:users")).content.decode()
    assert msg("fr", "locked after failed sign-ins") in listing
    account = world.client("admin").get(url("web:user", gao.pk)).content.decode()
    notice = (
        "This account is locked after repeated failed sign-ins. Setting a new password unlocks it."
    )
    assert msg("fr", notice) in account
    world.client("admin").post(
        url("web:user-password", gao.pk),
        {"new_password1": "Nouveau-mot-2014", "new_password2": "Nouveau-mot-2014"},
    )
    client = Client()
    response = client.post(url("web:login"), {"username": "gao", "password": "Nouveau-mot-2014"})
    assert response.status_code == 302
    assert msg("fr", "locked after failed sign-ins") not in (
        world.client("admin").get(url("web:users")).content.decode()
    )
