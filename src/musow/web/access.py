"""Who may open which page: the doors' side of musow.accounts.scopes.

Out-of-scope records answer 404 (never a hint that they exist); a page the role
may not use at all answers 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from musow.accounts import scopes
from musow.activities.models import Activity

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _requires(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


records_required = _requires(scopes.sees_records)  # not for viewers: aggregates only
entry_required = _requires(scopes.can_enter)
manager_required = _requires(scopes.can_manage)


def activity_or_404(request: HttpRequest, pk: int, *, include_deleted: bool = False) -> Activity:
    """The activity if it is in the user's scope; 404 otherwise."""
    qs = scopes.activities_for(request.user, include_deleted=include_deleted)
    qs = qs.select_related(
        "activity_type", "place", "place__region", "campaign", "project", "organiser"
    ).defer("place__boundary", "place__region__boundary")
    return get_object_or_404(qs, pk=pk)


def forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
