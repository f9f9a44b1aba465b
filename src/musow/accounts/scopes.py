"""Who may see and change what: the roles table of docs/architecture.md, in one place.

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
| protection  | none of the register: aggregates;    | nothing (programme:  | provider reports  |
| officer     | the SGBV programme's tables whole    | their regions, if set)| (their regions)  |

The SGBV programme's statistics (musow.protection): protection officers and the unit
admin see its tables whole (unsuppressed), and each such view or export is audited;
everyone else, the public and every command run without `--user` get protected tables
(small cells and the cells that would recover them hidden: musow.protection.disclosure).

Who changes a stored activity (README, "Workflow"): its author while it is a draft or
returned to them; gender officers and the unit admin always (deleted ones excepted).
The Django admin is the unit admin's only, whatever `is_superuser` says.

Public pages (no sign-in) show the indicators the unit admin published, and list the
activities behind one only where the admin published its list — never an activity with
a sensitive theme, and never to a viewer (`sees_public_lists`, `publicly_listable`).
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from musow.accounts.models import User
from musow.activities.models import Activity
from musow.indicators.engine import EVERYTHING, Scope
from musow.representation.models import Agreement, Body, Composition, Process, Sitting, Submission
from musow.security.models import Report, Strength

if TYPE_CHECKING:
    from musow.activities.services import ActivityInput
    from musow.mainstreaming.models import Review

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


def sees_public_lists(user: Any) -> bool:
    """Whether the public pages list activities for this user (where the unit published the
    list): visitors and staff who see records; a viewer sees aggregates only, there too."""
    return _role(user) is None or sees_records(user)


def publicly_listable(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The activities a public page may list: none with a sensitive theme (GBV/SGBV), ever."""
    sensitive = Activity.themes.through.objects.filter(theme__is_sensitive=True)
    return activities.exclude(pk__in=sensitive.values("activity_id"))


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


EDITABLE = (Activity.Status.DRAFT, Activity.Status.RETURNED)


def edit_filter(user: Any) -> Q:
    """The condition on Activity rows (in the user's sight) that the user may change:
    edit, submit, delete. Officers and the unit admin: any that is not deleted; the
    others: their own drafts and returned activities."""
    if not can_enter(user):
        return NOTHING
    if can_validate(user):
        return ~Q(status=Activity.Status.DELETED)
    return Q(status__in=EDITABLE, created_by_id=user.pk)


def editable_by(user: Any) -> QuerySet[Activity]:
    """The activities the user may change (a subset of activities_for)."""
    return activities_for(user).filter(edit_filter(user))


def may_edit(user: Any, activity: Activity) -> bool:
    """Whether the user may change this stored activity: edit, submit or delete it."""
    return editable_by(user).filter(pk=activity.pk).exists()


may_submit = may_edit
may_delete = may_edit


def may_validate(user: Any, activity: Activity) -> bool:
    """Validate or return an activity (its status decides which, in the services)."""
    return can_validate(user) and activities_for(user).filter(pk=activity.pk).exists()


may_return = may_validate


def may_restore(user: Any, activity: Activity | None = None) -> bool:
    return can_manage(user)


def edit_refusal(user: Any, *, status: str, author_id: int | None) -> str | None:
    """Why the user may not change an activity they can see (None: they may); for doors
    that check many at once (imports) and must say why."""
    if can_validate(user) and status != Activity.Status.DELETED:
        return None
    if not can_enter(user):
        return _("Your role does not enter activities.")
    if status not in EDITABLE:
        return _(
            "This activity has been submitted or validated: only a gender officer "
            "or the unit admin can change it now."
        )
    if author_id != user.pk:
        return _("Only the author of a draft, a gender officer or the unit admin can change it.")
    return None


def to_validate(user: Any) -> QuerySet[Activity]:
    """The officer's queue: the submitted activities the user may validate (none for a
    role that does not validate)."""
    if not can_validate(user):
        return Activity.objects.none()
    return activities_for(user).filter(status=Activity.Status.SUBMITTED)


def _reachable(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(is_active=True).exclude(email="")


def told_of_submission(activity: Activity, *, actor: Any = None) -> list[User]:
    """Who is e-mailed when an activity is submitted: the gender officers (the unit admin
    when there is none with an e-mail address), the person who submitted it apart."""
    actor_pk = getattr(actor, "pk", None)
    for role in (Role.OFFICER, Role.ADMIN):
        people = [
            u
            for u in _reachable(User.objects.filter(role=role)).order_by("pk")
            if u.pk != actor_pk and may_validate(u, activity)
        ]
        if people:
            return people
    return []


def told_of_review(activity: Activity, *, actor: Any = None) -> list[User]:
    """Who is e-mailed when an activity is returned or validated: its author, unless the
    author did it, has no e-mail address or may no longer sign in."""
    if activity.created_by_id is None or activity.created_by_id == getattr(actor, "pk", None):
        return []
    return list(_reachable(User.objects.filter(pk=activity.created_by_id)))


def may_validate_by_import(user: Any) -> bool:
    """Whether an import by this user may write activities as validated (None: the
    system itself, the command line without --user)."""
    return user is None or can_validate(user)


def place_filter(user: Any) -> Q:
    """The condition on Place rows where the user may place an activity (forms offer
    these): a focal point's regions and what is in them; anywhere for the others."""
    if _role(user) == Role.FOCAL_POINT:
        return Q(region_id__in=_region_ids(user))
    return Q()


def region_filter(user: Any) -> Q:
    """The condition on regions (Place rows of the first level) a user's lists offer."""
    if _role(user) == Role.FOCAL_POINT:
        return Q(pk__in=_region_ids(user))
    return Q()


def may_revoke_token(user: Any, *, owner_id: int) -> bool:
    """An API token is revoked by its owner, or by the unit admin for anyone's."""
    return bool(getattr(user, "pk", None)) and (owner_id == user.pk or can_manage(user))


def may_use_admin(user: Any) -> bool:
    """The Django admin shows every record: the unit admin's, by role (not by
    `is_superuser`, so that the admin and the site never disagree)."""
    return can_manage(user)


# Keys of imported activities. An activity is found again by (source, ID); a user who does
# not see every record must not learn, by importing an ID, that it exists outside their
# scope. So what they cannot see does not exist for them: an ID that matches nothing they
# see makes a new activity under their own source, "<source>@<user id>", whether or not
# someone else's activity has that ID (the answer is the same). What they can see is
# found under any of these sources (a file imported by a colleague, or by an officer).
NAMESPACE = "@"


def base_source(source: str) -> str:
    """The source without the writer it was kept apart for ("import@12" → "import")."""
    return source.split(NAMESPACE, 1)[0]


def own_source(user: Any, source: str) -> str:
    """The source under which `user` creates what they import as `source`: their own,
    unless they see every record (officers, the unit admin, the system)."""
    if may_validate_by_import(user):
        return source
    return f"{base_source(source)}{NAMESPACE}{user.pk}"


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


# --- Gender mainstreaming reviews (musow.mainstreaming, issue 13) -------------------
#
# | role        | reviews it sees                         | writes                       |
# |-------------|-----------------------------------------|------------------------------|
# | admin       | all                                     | reviews, follow-up, projects |
# | officer     | all                                     | reviews, follow-up, projects |
# | focal point | reviews of a document of their regions  | none (reads)                 |
# | partner     | reviews of its organisation's documents | none (reads)                 |
# | viewer      | none: aggregates only                   | none                         |
#
# A review without a region or organisation (most mission documents) is seen by officers
# and the unit admin only. Reviewing is the gender officers' work: focal points and
# partners read the reviews that concern them and their recommendations; out-of-scope
# reviews answer 404. Project markers and budgets: officers and the unit admin.


def review_filter(user: Any) -> Q:
    """The condition on Review rows a user may see."""
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return Q()
    if role == Role.FOCAL_POINT:
        regions = _region_ids(user)
        return Q(region_id__in=regions) if regions else NOTHING
    if role == Role.PARTNER and user.organisation_id:
        return Q(organisation_id=user.organisation_id)
    return NOTHING


def reviews_for(user: Any) -> "QuerySet[Review]":
    """The gender reviews a user may see (404 for the rest)."""
    from musow.mainstreaming.models import Review

    return Review.objects.filter(review_filter(user))


def may_review(user: Any) -> bool:
    """Record and change reviews, their recommendations and follow-up, project markers."""
    return can_validate(user)


# Trainings (issue 13): a training session is an activity, so its trainees and scores are
# seen where the activity is (focal points: their regions; partners: their organisation's);
# courses (titles, question banks) are seen by everyone who sees records.


def sees_courses(user: Any) -> bool:
    return sees_records(user)


def sessions_for(user: Any) -> "QuerySet[Any]":
    """The training sessions whose trainees and scores the user may see."""
    from musow.trainings.models import TrainingSession

    return TrainingSession.objects.filter(activity__in=activities_for(user).values("pk"))


def may_record_training(user: Any) -> bool:
    """Whether the user records trainees and scores (of the sessions in their sight,
    validated ones too: scores arrive after the session)."""
    return can_enter(user)


# --- Women at the table (musow.representation) -------------------------------------
# Bodies are placed, not organised: officers and the unit admin see and write every body;
# a focal point the bodies placed in their regions (national bodies are the officers');
# a partner organisation none (no body is its own); a viewer the figures only.


def body_filter(user: Any) -> Q:
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return Q()
    if role == Role.FOCAL_POINT:
        regions = _region_ids(user)
        return Q(place__region_id__in=regions) if regions else NOTHING
    return NOTHING


def bodies_for(user: Any) -> QuerySet[Body]:
    """The bodies whose compositions and sittings a user may see (404 for the rest)."""
    return Body.objects.filter(body_filter(user))


def may_write_body(user: Any, body: Body) -> bool:
    """Whether the user may enter compositions and sittings of this body."""
    return can_enter(user) and bodies_for(user).filter(pk=body.pk).exists()


def compositions_for(user: Any) -> QuerySet[Composition]:
    return Composition.objects.filter(body__in=bodies_for(user))


def sittings_for(user: Any) -> QuerySet[Sitting]:
    return Sitting.objects.filter(body__in=bodies_for(user))


# Submissions by women's organisations and agreements go to a body or to a process: those
# of a body are seen and written as that body; those of a process alone (no body) are the
# officers' and the unit admin's, like national bodies.
AnyRecord = Composition | Sitting | Submission | Agreement


def placed_filter(user: Any) -> Q:
    """The condition on Submission and Agreement rows a user may see."""
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return Q()
    if role == Role.FOCAL_POINT and _region_ids(user):
        return Q(body__in=bodies_for(user))
    return NOTHING


def submissions_for(user: Any) -> QuerySet[Submission]:
    return Submission.objects.filter(placed_filter(user))


def agreements_for(user: Any) -> QuerySet[Agreement]:
    return Agreement.objects.filter(placed_filter(user))


def may_write_to(user: Any, body: Body | None, process: Process | None = None) -> bool:
    """Whether the user may enter a record of this body (or of this process, no body)."""
    if body is not None:
        return may_write_body(user, body)
    return can_enter(user) and _role(user) in (Role.ADMIN, Role.OFFICER)


def may_edit_record(user: Any, record: AnyRecord) -> bool:
    """Change or submit a record of this module: its author while it is a draft; officers
    and the unit admin always (within what they see)."""
    if not may_write_to(user, record.body, getattr(record, "process", None)):
        return False
    return can_validate(user) or (record.status == "draft" and record.created_by_id == user.pk)


def may_validate_record(user: Any, record: AnyRecord) -> bool:
    if record.body_id is None:
        return can_validate(user)
    return can_validate(user) and bodies_for(user).filter(pk=record.body_id).exists()


def may_follow_up(user: Any, submission: Submission) -> bool:
    """Record what came of a submission's recommendations: whoever may write to its body
    (or process), whatever the submission's status."""
    return may_write_to(user, submission.body, submission.process)


# --- Elections and candidate lists (musow.elections) --------------------------------
# Like bodies: officers and the unit admin see and write every list; a focal point the
# lists placed in their regions (and the elections, which are public events); a partner
# none; a viewer the figures only. Elections themselves are entered by officers and admin.


def elections_for(user: Any) -> "QuerySet[Any]":
    from musow.elections.models import Election

    if _role(user) in (Role.ADMIN, Role.OFFICER, Role.FOCAL_POINT):
        return Election.objects.all()
    return Election.objects.none()


def candidate_lists_for(user: Any) -> "QuerySet[Any]":
    """The candidate lists a user may see (404 for the rest)."""
    from musow.elections.models import CandidateList

    return CandidateList.objects.filter(body_filter(user))


def may_write_list_at(user: Any, place: Any) -> bool:
    """Whether the user may enter a list placed there (None: a national total)."""
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return True
    if role == Role.FOCAL_POINT and place is not None:
        return place.region_id in _region_ids(user)
    return False


def may_enter_lists(user: Any) -> bool:
    return _role(user) in (Role.ADMIN, Role.OFFICER, Role.FOCAL_POINT)


def may_edit_list(user: Any, candidate_list: Any) -> bool:
    """Change or submit a list: its author while it is a draft; officers and the unit
    admin always."""
    if not may_write_list_at(user, candidate_list.place):
        return False
    return can_validate(user) or (
        candidate_list.status == "draft" and candidate_list.created_by_id == user.pk
    )


def may_validate_list(user: Any, candidate_list: Any) -> bool:
    return can_validate(user)


def may_manage_elections(user: Any) -> bool:
    """Create an election (its kind, date, round, place): officers and the unit admin."""
    return can_validate(user)


# --- Security sector and DDR (musow.security) ------------------------------------------
# Like bodies: officers and the unit admin see and write everything; a focal point the
# programme figures (DDR, recruitment, CVR) placed in their regions, and no strength of a
# force (forces are national, the officers'); a partner none; a viewer the figures only.


def security_report_filter(user: Any) -> Q:
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return Q()
    if role == Role.FOCAL_POINT:
        regions = _region_ids(user)
        return Q(place__region_id__in=regions) if regions else NOTHING
    return NOTHING


def security_reports_for(user: Any) -> QuerySet[Report]:
    """The programme figures a user may see (404 for the rest)."""
    return Report.objects.filter(security_report_filter(user))


def strengths_for(user: Any) -> QuerySet[Strength]:
    """The strengths of the forces a user may see: officers' and the unit admin's."""
    return Strength.objects.all() if can_validate(user) else Strength.objects.none()


def may_enter_security_reports(user: Any) -> bool:
    """Whether the user may enter programme figures at all (somewhere)."""
    role = _role(user)
    return role in (Role.ADMIN, Role.OFFICER) or (
        role == Role.FOCAL_POINT and bool(_region_ids(user))
    )


def may_write_strengths(user: Any) -> bool:
    return can_validate(user)


def may_write_security_place(user: Any, place: Any) -> bool:
    """Whether the user may enter programme figures placed there."""
    role = _role(user)
    if role in (Role.ADMIN, Role.OFFICER):
        return True
    return role == Role.FOCAL_POINT and place.region_id in _region_ids(user)


def may_edit_security_record(user: Any, record: Report | Strength) -> bool:
    """Change or submit figures: their author while a draft; officers and the admin always."""
    if isinstance(record, Strength):
        return may_write_strengths(user)
    if not may_write_security_place(user, record.place):
        return False
    return can_validate(user) or (record.status == "draft" and record.created_by_id == user.pk)


def may_validate_security_record(user: Any, record: Report | Strength) -> bool:
    return can_validate(user)


# --- the SGBV programme (musow.protection) ---------------------------------------------


def sees_protection_whole(user: Any) -> bool:
    """Whether the programme's tables are shown to this user unsuppressed (audited)."""
    return _role(user) in (Role.ADMIN, Role.PROTECTION)


def can_enter_protection(user: Any) -> bool:
    """Agreements and providers' monthly reports: protection officers and the unit admin."""
    return _role(user) in (Role.ADMIN, Role.PROTECTION)


def protection_region_ids(user: Any) -> tuple[int, ...]:
    """The regions a protection officer is limited to (empty: every region)."""
    if _role(user) == Role.PROTECTION:
        return _region_ids(user)
    return ()


def may_report_for(user: Any, *, region_id: int | None) -> bool:
    """Whether the user may enter or see a provider report placed in this region."""
    if not can_enter_protection(user):
        return False
    regions = protection_region_ids(user)
    return not regions or region_id in regions
