"""Writes of the API app: personal tokens (created, revoked, used) and pull marks.

Keyword-only, atomic; token creation and revocation are audited (the token's digest
never is: the trail names it by its name and prefix).
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.api.models import PullMark, Token
from musow.audit.models import Entry
from musow.audit.services import entry_record

PREFIX = "musow_"
MAX_DAYS = 366
# A token's last use is written at most this often: a busy script would otherwise write
# on every request.
TOUCH_EVERY = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(secret: str) -> str | None:
    """The lookup prefix of a token as given (`musow_<prefix>_<secret>`), or None."""
    if not secret.startswith(PREFIX):
        return None
    rest = secret[len(PREFIX) :]
    prefix, sep, body = rest.partition("_")
    if not sep or not prefix or not body or len(prefix) > 12:
        return None
    return PREFIX + prefix


@transaction.atomic
def token_create(*, user: Any, name: str, days: int | None = None) -> tuple[Token, str]:
    """A new token for `user`; returns it with its secret, which is shown once only."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name (what it is for).")
    elif len(name) > 100 or "\x00" in name:
        errors["name"] = _("The name is at most 100 characters.")
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    if not getattr(user, "is_active", False):
        raise PermissionDenied
    prefix = PREFIX + secrets.token_hex(4)
    while Token.objects.filter(prefix=prefix).exists():  # pragma: no cover (2^32)
        prefix = PREFIX + secrets.token_hex(4)
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + timedelta(days=days)
    token = Token.objects.create(
        user=user, name=name, prefix=prefix, digest=digest_of(secret), expires_at=expires_at
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE,
        target=token,
        changes={"name": (None, name), "expires_at": (None, expires_at.date().isoformat())},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: Token, actor: Any) -> Token:
    """Revoke a token: its owner, or the unit admin for anyone's."""
    if not scopes.may_revoke_token(actor, owner_id=token.user_id):
        raise PermissionDenied
    current = Token.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."), code="revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    entry_record(
        actor=actor,
        action=Entry.Action.DELETE,
        target=token,
        changes={"revoked_at": (None, token.revoked_at.isoformat())},
        comment=_("API token revoked"),
    )
    return token


def token_authenticate(*, secret: str) -> Token | None:
    """The active token with this secret (its last use noted), or None."""
    prefix = _split(secret.strip())
    if prefix is None:
        return None
    token = Token.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest_of(secret.strip())):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    token_touch(token=token)
    return token


def token_touch(*, token: Token, now: datetime | None = None) -> None:
    """Note the token's use (at most once a minute: one UPDATE, no audit entry)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def pull_mark_record(*, server: str, form: str, submissions: int) -> PullMark:
    """Remember that a pull of `form` from `server` was imported whole."""
    mark, _created = PullMark.objects.update_or_create(
        server=server,
        form=form,
        defaults={"pulled_at": timezone.now(), "submissions": submissions},
    )
    return mark
