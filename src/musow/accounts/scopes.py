"""Who may see and change what: DESIGN.md's roles table, in one place.

Every door (web pages, exports, imports, reports, the admin) asks these
functions; none decides on its own.

| role        | records it sees                      | figures limited to   | writes            |
|-------------|--------------------------------------|----------------------|-------------------|
| admin       | all (deleted ones too, to restore)   | nothing              | all, validates    |
| officer     | all                                  | nothing              | all, validates    |
| focal point | activities placed in their regions   | their regions        | in their regions  |
| partner     | activities its organisation ran      | its organisation     | its organisation  |
|             | or partnered                         |                      |                   |
| viewer      | none: aggregates only                | nothing              | none              |
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from musow.accounts.models import User
from musow.activities.models import Activity
from musow.indicators.engine import EVERYTHING, Scope

if TYPE_CHECKING:
    from musow.activities.services import ActivityInput

Role = User.Role
NOTHING = Q(pk__in=[])


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def _region_ids(user: Any) -> tuple[int, ...]:
    cached = getattr(user, "_musow_region_ids", None)
    if cached is None:
        cached = tuple(sorted(user.regions.values_list("pk", flat=True)))
        user._musow_region_ids = cached
    return cached


def can_enter(user: Any) -> bool:
    return _role(user) in (Role.ADMIN, Role.OFFICER, Role.FOCAL_POINT, Role.PARTNER)


def can_validate(user: Any) -> bool:
    return _role(user) in (Role.ADMIN, Role.OFFICER)


def can_manage(user: Any) -> bool:
    """Users, targets, indicators, restoring deleted records: the unit admin."""
    return _role(user) == Role.ADMIN


def sees_records(user: Any) -> bool:
    return _role(user) in (Role.ADMIN, Role.OFFICER, Role.FOCAL_POINT, Role.PARTNER)


def activity_filter(user: Any) -> Q:
    """The condition on Activity rows that a user may see as records."""
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return Q()
    if role == Role.FOCAL_POINT:
        regions = _region_ids(user)
        return Q(place__region_id__in=regions) if regions else NOTHING
    if role == Role.PARTNER and user.organisation_id:
        org = user.organisation_id
        return Q(organiser_id=org) | Q(
            pk__in=Activity.partners.through.objects.filter(organisation_id=org).values(
                "activity_id"
            )
        )
    return NOTHING


def activities_for(user: Any, *, include_deleted: bool = False) -> QuerySet[Activity]:
    """The activities a user may see as records (404 for the rest, at every door)."""
    qs = Activity.objects.filter(activity_filter(user))
    if not (include_deleted and can_manage(user)):
        qs = qs.exclude(status=Activity.Status.DELETED)
    return qs


def figure_scope(user: Any) -> Scope:
    """What a user's figures are limited to (engine Scope); None of it for a stranger."""
    role = _role(user)
    if role == Role.FOCAL_POINT:
        return Scope(regions=_region_ids(user) or (-1,))
    if role == Role.PARTNER:
        return Scope(organisations=(user.organisation_id or -1,))
    if role is None:
        return Scope(regions=(-1,))
    return EVERYTHING


def may_see_scope(user: Any, scope: Scope) -> bool:
    """Whether a requested scope (a report's, a dashboard's) stays within the user's own."""
    own = figure_scope(user)
    if _role(user) is None:
        return False
    if own.regions and not (scope.regions and set(scope.regions) <= set(own.regions)):
        return False
    if own.organisations and not (
        scope.organisations and set(scope.organisations) <= set(own.organisations)
    ):
        return False
    return True


def narrow(user: Any, scope: Scope) -> Scope:
    """`scope` restricted to the user's own (regions/organisations filled in from it)."""
    own = figure_scope(user)
    return Scope(
        regions=scope.regions or own.regions,
        organisations=scope.organisations or own.organisations,
        campaigns=scope.campaigns,
        projects=scope.projects,
    )


def may_write(user: Any, data: "ActivityInput") -> bool:
    """Whether the user may write this activity content (before it is saved)."""
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return True
    if role == Role.FOCAL_POINT:
        return data.place.region_id in _region_ids(user)
    if role == Role.PARTNER and user.organisation_id:
        org = user.organisation_id
        return (data.organiser is not None and data.organiser.pk == org) or any(
            o.pk == org for o in data.partners
        )
    return False


def may_edit(user: Any, activity: Activity) -> bool:
    """Whether the user may change this stored activity's content."""
    if not can_enter(user) or activity.is_deleted:
        return False
    if not activities_for(user).filter(pk=activity.pk).exists():
        return False
    return can_validate(user) or activity.is_editable


def may_set_status(user: Any, old: str | None, new: str) -> bool:
    """Whether the user may give an activity the status `new` by writing it (an import),
    from `old` (None: a new activity). Validating and returning are for validators;
    the others may write draft or submitted while the activity is theirs to edit.
    Deleting and restoring have their own doors, never a written status."""
    deleted = Activity.Status.DELETED
    if new == old:
        return True
    if deleted in (old, new) or not can_enter(user):
        return False
    if can_validate(user):
        return True
    editable = (None, Activity.Status.DRAFT, Activity.Status.RETURNED)
    return new in (Activity.Status.DRAFT, Activity.Status.SUBMITTED) and old in editable


def may_export_attendee_keys(user: Any) -> bool:
    """Attendee keys leave the system only in the unit admin's exports (None: the command
    line, run by the unit admin) and in backups; every other export carries none."""
    return user is None or can_manage(user)
