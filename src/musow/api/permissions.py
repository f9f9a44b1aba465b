"""Who may call which API route: musow.accounts.scopes, as for the web pages.

A role that may not use a route at all gets 403; a record outside the user's scope
answers 404 (the views look it up through scopes.activities_for)."""

from collections.abc import Callable
from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from musow.accounts import scopes


def _route(name: str, rule: Callable[[Any], bool], doc: str = "") -> type[BasePermission]:
    """A permission class: signed in, and `rule(user)` (a rule of accounts/scopes.py)."""

    def has_permission(self: BasePermission, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and rule(user)

    return type(name, (BasePermission,), {"has_permission": has_permission, "__doc__": doc})


SignedIn = _route(
    "SignedIn",
    lambda user: bool(user.is_active),
    "Aggregates, vocabularies, places: every signed-in role, viewers included.",
)
SeesRecords = _route("SeesRecords", scopes.sees_records)
Enters = _route("Enters", scopes.can_enter, "Writing for those who enter records.")
Validates = _route("Validates", scopes.can_validate)
Manages = _route("Manages", scopes.can_manage)


class ReadsOrEnters(BasePermission):
    """Reading records for everyone who sees them; writing for those who enter them."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return scopes.sees_records(user)
        return scopes.can_enter(user)
