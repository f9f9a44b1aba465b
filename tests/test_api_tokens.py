"""Personal API tokens on the account page: created and shown once, stored hashed, with an
expiry and the last use; revoked by their owner or by the unit admin; audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from musow.api.models import Token
from musow.api.services import digest_of, token_create, token_touch
from musow.audit.models import Entry
from tests import web_fixtures
from tests.api_helpers import API, ApiClient
from tests.web_fixtures import World, url

pytestmark = pytest.mark.django_db
world = web_fixtures.world


def test_a_token_is_shown_once_and_only_its_digest_is_kept(world: World):
    client = world.client("partner")
    page = client.post(url("tokens:list"), {"name": "Script mensuel", "days": 30})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("musow_") and secret in page.content.decode()
    token = Token.objects.get(user=world.users["partner"])
    assert token.digest == digest_of(secret) and secret not in (token.digest, token.prefix)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    again = client.get(url("tokens:list"))
    assert secret not in again.content.decode() and token.prefix in again.content.decode()
    assert ApiClient(secret).get(API + "vocabularies").status_code == 200


def test_a_token_needs_a_name_and_a_bounded_life(world: World):
    page = world.client("partner").post(url("tokens:list", lang="en"), {"name": " ", "days": 0})
    assert page.status_code == 200 and page.context["secret"] is None
    assert set(page.context["form"].errors) == {"name", "days"}
    assert not Token.objects.exists()


def test_its_last_use_is_noted_at_most_once_a_minute(world: World):
    token, secret = token_create(user=world.users["viewer"], name="Power BI")
    assert token.last_used_at is None
    ApiClient(secret).get(API + "indicators")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    ApiClient(secret).get(API + "indicators")
    token.refresh_from_db()
    assert token.last_used_at == first
    later = first + timedelta(minutes=2)
    token_touch(token=token, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_an_expired_or_revoked_token_no_longer_opens_the_api(world: World):
    token, secret = token_create(user=world.users["officer"], name="Ancien")
    Token.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(secret).get(API + "indicators").status_code == 401
    other, other_secret = token_create(user=world.users["officer"], name="Révoqué")
    world.client("officer").post(url("tokens:revoke", other.pk))
    response = ApiClient(other_secret, "en").get(API + "indicators")
    assert response.status_code == 401
    assert "revoked or expired" in response.json()["detail"]


def test_a_deactivated_account_s_token_no_longer_opens_the_api(world: World):
    _token, secret = token_create(user=world.users["partner"], name="Script")
    world.users["partner"].is_active = False
    world.users["partner"].save()
    assert ApiClient(secret).get(API + "indicators").status_code == 401


def test_the_unit_admin_revokes_anyone_s_token_and_no_one_else_can(world: World):
    token, secret = token_create(user=world.users["partner"], name="Script CAFO")
    officer_page = world.client("officer").get(url("tokens:list"))
    assert officer_page.context["others"] is None
    assert world.client("officer").post(url("tokens:revoke", token.pk)).status_code == 404
    assert ApiClient(secret).get(API + "indicators").status_code == 200
    admin_page = world.client("admin").get(url("tokens:list"))
    assert token in list(admin_page.context["others"])
    assert world.client("admin").post(url("tokens:revoke", token.pk)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.users["admin"]
    assert ApiClient(secret).get(API + "indicators").status_code == 401


def test_creating_and_revoking_a_token_is_audited(world: World):
    token, _secret = token_create(user=world.users["partner"], name="Script CAFO")
    world.client("partner").post(url("tokens:revoke", token.pk))
    trail = Entry.objects.for_target(token).order_by("at", "pk")
    assert [(e.action, e.actor) for e in trail] == [
        ("create", world.users["partner"]),
        ("delete", world.users["partner"]),
    ]
    assert all(_secret not in str(e.changes) for e in trail)


def test_the_page_asks_for_a_signed_in_user(world: World):
    response = world.client("anonymous").get(url("tokens:list"))
    assert response.status_code == 302 and url("web:login") in response["Location"]
