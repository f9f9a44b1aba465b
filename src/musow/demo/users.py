"""Demo accounts, one per role, to try musow. They are marked as demo accounts; an existing
account keeps the password it has (a changed password is never reset)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from musow.accounts.models import User
from musow.activities.models import Organisation
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER

DEMO_PASSWORD = "musow-demo-2014"
DEMO_EMAIL_DOMAIN = "demo.musow.invalid"
DEMO_LAST_NAME = "(compte de démonstration)"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    role: str
    is_staff: bool = False
    is_superuser: bool = False
    regions: tuple[str, ...] = ()
    organisation: str = ""  # for a partner organisation's account: its code


DEMO_USERS = [
    DemoUser("admin", "Admin", User.Role.ADMIN, is_staff=True, is_superuser=True),
    DemoUser("agent", "Agente genre", User.Role.OFFICER),
    DemoUser("gao", "Point focal Gao", User.Role.FOCAL_POINT, regions=("ML07",)),
    DemoUser("wildaf", "WILDAF-Mali", User.Role.PARTNER, organisation="wildaf-mali"),
    DemoUser("lecteur", "Lecteur", User.Role.VIEWER),
    DemoUser("protection", "Agente protection", User.Role.PROTECTION),
]


@dataclass
class UserOutcome:
    user: User
    outcome: str  # created, updated, unchanged
    demo_password: bool  # whether DEMO_PASSWORD signs this (active) account in
    changed: list[str] = field(default_factory=list)


@transaction.atomic
def demo_users_ensure() -> list[UserOutcome]:
    """Create the demo accounts, or bring them back to their demo settings."""
    hashed: list[str] = []  # the demo password, hashed once for every new account

    def demo_hash() -> str:
        if not hashed:
            hashed.append(make_password(DEMO_PASSWORD))
        return hashed[0]

    return [_ensure(spec, demo_hash) for spec in DEMO_USERS]


def _ensure(spec: DemoUser, demo_hash: Callable[[], str]) -> UserOutcome:
    model = get_user_model()
    values = {
        "first_name": spec.first_name,
        "last_name": DEMO_LAST_NAME,
        "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
        "role": spec.role,
        "is_staff": spec.is_staff,
        "is_superuser": spec.is_superuser,
        "organisation": (
            Organisation.objects.filter(code=spec.organisation).first()
            if spec.organisation
            else None
        ),
    }
    user = model._default_manager.filter(username=spec.username).first()
    if user is None:
        user = model(username=spec.username, **values)
        user.password = demo_hash()
        user.save()
        _set_regions(user, spec)
        return UserOutcome(user, "created", True)
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if changed:
        user.save(update_fields=changed)
    if _set_regions(user, spec):
        changed.append("regions")
    outcome = "updated" if changed else "unchanged"
    # A deactivated demo account stays deactivated, and is not offered for signing in.
    usable = user.is_active and user.check_password(DEMO_PASSWORD)
    return UserOutcome(user, outcome, usable, changed)


def _set_regions(user: User, spec: DemoUser) -> bool:
    wanted = set(Place.objects.filter(gazetteer__code=SHIPPED_GAZETTEER, pcode__in=spec.regions))
    if set(user.regions.all()) == wanted:
        return False
    user.regions.set(wanted)
    return True


def demo_login(base_url: str) -> str | None:
    """How to sign in with the demo admin account, if it exists and has the demo password."""
    admin = get_user_model()._default_manager.filter(username=DEMO_USERS[0].username).first()
    if admin is None or not admin.is_active or not admin.check_password(DEMO_PASSWORD):
        return None
    return demo_login_text(base_url)


def demo_login_text(base_url: str) -> str:
    return _(
        "Demo login: %(url)s — user “%(user)s”, password “%(password)s” "
        "(a demo account: change or delete it before real use)."
    ) % {
        "url": f"{base_url.rstrip('/')}{reverse('web:login')}",
        "user": DEMO_USERS[0].username,
        "password": DEMO_PASSWORD,
    }
