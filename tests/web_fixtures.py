"""A small world for the staff pages' tests: one account per role (the demo accounts, plus
a partner organisation's account), an activity in the Gao focal point's region organised
by the partner ("inside"), and one in Bamako by someone else ("outside")."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from musow.accounts.models import User
from musow.activities.models import Activity, Organisation
from musow.demo.users import demo_users_ensure
from tests.factories import make_activity

ROLES = ["anonymous", "admin", "officer", "focal_point", "partner", "viewer", "protection"]
DEMO_NAMES = {
    "admin": "admin",
    "officer": "agent",
    "focal_point": "gao",
    "viewer": "lecteur",
    "protection": "protection",
}
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    users: dict[str, User]
    partner_org: Organisation
    inside: Activity  # in Gao (the focal point's region), organised by the partner
    outside: Activity  # in Bamako, organised by another organisation

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def url(name: str, *args: Any, lang: str = "fr") -> str:
    with translation.override(lang):
        return reverse(name, args=args)


def build_world(status: str = "draft") -> World:
    demo_users_ensure()
    users = {role: User.objects.get(username=name) for role, name in DEMO_NAMES.items()}
    org = Organisation.objects.create(code="cafo", name="CAFO", kind="womens_org")
    other = Organisation.objects.create(code="wildaf", name="WILDAF", kind="womens_org")
    partner = User.objects.create_user(
        "cafo", password="cafo-partner-2014", role=User.Role.PARTNER, organisation=org
    )
    users["partner"] = partner
    inside = make_activity(
        key="inside",
        title="Causerie à Gao",
        place="ML07",
        organiser="cafo",
        status=status,
        start="2014-11-27",
        end="2014-11-27",
    )
    outside = make_activity(
        key="outside",
        title="Conférence à Bamako",
        place="ML09",
        organiser="wildaf",
        status=status,
    )
    assert other.pk
    return World(users, org, inside, outside)


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world()


def make_author(activity: Activity, user: User) -> None:
    """Make `user` the author of `activity` (only its author changes a draft)."""
    Activity.objects.filter(pk=activity.pk).update(created_by=user)
    activity.created_by = user
