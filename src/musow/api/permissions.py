"""Who may call which API route: musow.accounts.scopes, as for the web pages.

A role that may not use a route at all gets 403; a record outside the user's scope
answers 404 (the views look it up through scopes.activities_for)."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from musow.accounts import scopes


class _Check(BasePermission):
    def check(self, user: Any) -> bool:  # pragma: no cover
        raise NotImplementedError

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and self.check(user)


class SignedIn(_Check):
    """Aggregates, vocabularies, places: every signed-in role, viewers included."""

    def check(self, user: Any) -> bool:
        return bool(user.is_active)


class SeesRecords(_Check):
    def check(self, user: Any) -> bool:
        return scopes.sees_records(user)


class Enters(_Check):
    """Reading records for everyone who sees them; writing for those who enter them."""

    def check(self, user: Any) -> bool:
        return scopes.can_enter(user)


class ReadsOrEnters(_Check):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return scopes.sees_records(user)
        return scopes.can_enter(user)


class Validates(_Check):
    def check(self, user: Any) -> bool:
        return scopes.can_validate(user)


class Manages(_Check):
    def check(self, user: Any) -> bool:
        return scopes.can_manage(user)
