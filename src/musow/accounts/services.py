"""Writes to user accounts, made by the unit admin: each one checked, and audited
(who changed which account, which fields, old → new; never a password)."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from musow.accounts.models import User
from musow.activities.models import Organisation
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.geo.models import Place


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "regions": sorted(p.pcode for p in user.regions.all()) if user.pk else [],
        "organisation": user.organisation.code if user.organisation else None,
        "is_active": user.is_active,
    }


def _check(
    *,
    user: User,
    role: str,
    regions: Sequence[Place],
    organisation: Organisation | None,
    is_active: bool,
    actor: Any,
) -> None:
    errors: dict[str, list[str]] = {}
    if role not in User.Role.values:
        errors["role"] = [_("Unknown role “%(role)s”.") % {"role": role}]
    if role == User.Role.FOCAL_POINT and not regions:
        errors["regions"] = [_("A regional focal point needs at least one region.")]
    if any(p.level != Place.Level.REGION for p in regions):
        errors["regions"] = [_("Choose regions (first-level places) only.")]
    if role == User.Role.PARTNER and organisation is None:
        errors["organisation"] = [_("A partner organisation account needs its organisation.")]
    was_admin = user.pk is not None and user.role == User.Role.ADMIN and user.is_active
    if was_admin and (role != User.Role.ADMIN or not is_active):
        others = User.objects.filter(role=User.Role.ADMIN, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            errors.setdefault("role", []).append(
                _("This is the last active unit admin: make another admin first.")
            )
        elif getattr(actor, "pk", None) == user.pk:
            errors.setdefault("role", []).append(
                _("You cannot remove your own admin rights; ask another unit admin.")
            )
    if errors:
        raise ValidationError(errors)


def _apply(
    user: User,
    *,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    is_active: bool,
) -> None:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = email.strip()
    user.role = role
    # Roles other than these see no organisation's records: keep nothing that would.
    user.organisation = organisation if role == User.Role.PARTNER else None
    user.is_active = is_active
    # The Django admin is for the unit admin only (it shows every record).
    user.is_staff = role == User.Role.ADMIN


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    regions: Sequence[Place] = (),
    organisation: Organisation | None = None,
    is_active: bool = True,
) -> User:
    """A new account, with its role and scope; the password is checked by Django's
    validators (length, common passwords, similarity to the user's names)."""
    username = username.strip()
    user = User(username=username)
    _check(
        user=user,
        role=role,
        regions=regions,
        organisation=organisation,
        is_active=is_active,
        actor=actor,
    )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This username is already taken.")]})
    _apply(
        user,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        organisation=organisation,
        is_active=is_active,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.regions.set(regions if role == User.Role.FOCAL_POINT else [])
    entry_record(
        actor=actor, action=Entry.Action.CREATE, target=user, changes=diff({}, _snapshot(user))
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    regions: Sequence[Place] = (),
    organisation: Organisation | None = None,
    is_active: bool = True,
) -> User:
    """Change an account's names, role, regions, organisation, or deactivate it
    (a deactivated account cannot sign in; its records and audit entries stay)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    _check(
        user=user,
        role=role,
        regions=regions,
        organisation=organisation,
        is_active=is_active,
        actor=actor,
    )
    _apply(
        user,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        organisation=organisation,
        is_active=is_active,
    )
    user.full_clean(exclude=["password"])
    user.save()
    user.regions.set(regions if role == User.Role.FOCAL_POINT else [])
    changes = diff(before, _snapshot(user))
    if changes:
        entry_record(actor=actor, action=Entry.Action.UPDATE, target=user, changes=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """Set a new password (checked by Django's validators) and lift a sign-in lockout;
    the audit entry says it changed, never what it is."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    # A new password is also how a unit admin unlocks an account locked after failures.
    axes_reset(username=user.get_username())
    entry_record(actor=actor, action=Entry.Action.PASSWORD, target=user)
    return user


@transaction.atomic
def user_change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """A person changes their own password: the current one first, then a new one that
    Django's validators accept. Audited (never the password). The sessions signed in with
    the old password end at their next request (Django checks each session against the
    password); the door keeps its own (update_session_auth_hash)."""
    if not user.check_password(old_password):
        raise ValidationError(
            {"old_password": [_("Your current password was entered incorrectly.")]}
        )
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password2": exc.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    entry_record(actor=user, action=Entry.Action.PASSWORD, target=user)
    return user


def usernames_locked_out() -> set[str]:
    """Accounts django-axes currently refuses after repeated failed sign-ins."""
    since = timezone.now() - (get_cool_off() or timedelta(days=3650))
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since, username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


def user_language_remember(*, user: User, language: str) -> None:
    """Keep the language a person signs in with: the workflow's e-mails speak it."""
    language = (language or "")[:2]
    if language in dict(User._meta.get_field("language").choices or []) and (
        user.language != language
    ):
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
