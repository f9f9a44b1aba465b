"""THE permission matrix: role × URL × in-scope / out-of-scope, one table.

Every URL pattern the project routes needs a row here (test_every_routed_url_has_a_row
walks the resolver): a new URL without a row fails the suite.

To add a row: `Row(pattern, url, expect)` where
- `pattern` is the URL's name with its namespace ("web:activity"), or "namespace:*" for a
  whole namespace checked through sample pages (the Django admin);
- `url(w, target)` builds the address from the World (tests/web_fixtures.py): `target` is
  the in-scope record (w.inside) or the out-of-scope one (w.outside) for rows that open a
  record, and None for rows that do not (set `scoped=False`);
- `expect` maps each role (anonymous, admin, officer, focal_point, partner, viewer) to the
  status code (LOGIN: a redirect to the sign-in page);
- `others` overrides `expect` for the in-scope record when it is someone else's draft
  (w.inside): only its author, officers and the unit admin change a draft (docs/counting.md);
  `expect` is for the role's own draft (w.own[role], made by that account);
- `outside` overrides `expect` for the out-of-scope record; by default the focal point
  (Gao) and the partner (CAFO) get 404 there, whatever the action: never a hint that
  the record exists;
- `method` "post" for actions; `data` the form sent.

The Django admin has a row per route, made from its registry (`admin_rows`): the unit
admin's answers per model are in ADMIN_ROUTES' exceptions; every other role, and a
superuser whose role is not unit admin, is sent to the admin's sign-in page. Two more
accounts take part: "superuser_viewer" (is_superuser, role viewer) gets the viewer's
answers everywhere, and "plain_admin" (role admin, not is_superuser) the admin's.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from musow.accounts.models import User
from musow.activities.models import Activity, Campaign, CampaignSeries, Project
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save
from musow.indicators.models import Indicator, Target
from musow.mainstreaming.models import Review
from tests.factories import make_activity, record
from tests.web_fixtures import FAST_HASHERS, ROLES, World, build_world, url

# Two accounts that test that the role decides, not is_superuser: each answers as the role
# it mirrors.
MIRRORS = {"superuser_viewer": "viewer", "plain_admin": "admin"}
ALL_ROLES = [*ROLES, *MIRRORS]
ENTERING = ("admin", "officer", "focal_point", "partner", "plain_admin")

LOGIN = "login"  # a redirect to the sign-in page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405

SCOPED_ROLES = ("focal_point", "partner")


def everyone(status: Any) -> dict[str, Any]:
    return dict.fromkeys(ROLES, status)


def staff(
    *,
    admin: Any,
    officer: Any,
    focal_point: Any,
    partner: Any,
    viewer: Any,
    anonymous: Any = LOGIN,
) -> dict[str, Any]:
    return {
        "anonymous": anonymous,
        "admin": admin,
        "officer": officer,
        "focal_point": focal_point,
        "partner": partner,
        "viewer": viewer,
    }


RECORDS = staff(admin=OK, officer=OK, focal_point=OK, partner=OK, viewer=FORBIDDEN)
ENTERERS_ACT = staff(
    admin=REDIRECT, officer=REDIRECT, focal_point=REDIRECT, partner=REDIRECT, viewer=FORBIDDEN
)
VALIDATORS_ACT = staff(
    admin=REDIRECT, officer=REDIRECT, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
)
# Roles that may never write get 403 on either record: no hint of existence either way.
SAME_ANSWER_OUTSIDE: dict[str, Any] = {}
VALIDATORS_PAGE = staff(
    admin=OK, officer=OK, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
)
ADMIN_ONLY = staff(
    admin=OK, officer=FORBIDDEN, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
)
ADMIN_ONLY_ACT = staff(
    admin=REDIRECT,
    officer=FORBIDDEN,
    focal_point=FORBIDDEN,
    partner=FORBIDDEN,
    viewer=FORBIDDEN,
)


AUTHORS_ONLY = {"focal_point": FORBIDDEN, "partner": FORBIDDEN}  # someone else's draft
SIGNED_IN = {**everyone(OK), "anonymous": LOGIN}
PROTECTION = {
    **staff(
        admin=OK, officer=FORBIDDEN, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
    ),
    "protection": OK,
}
PROTECTION_ACT = {
    **staff(
        admin=REDIRECT,
        officer=FORBIDDEN,
        focal_point=FORBIDDEN,
        partner=FORBIDDEN,
        viewer=FORBIDDEN,
    ),
    "protection": REDIRECT,
}


def _provider_report(w: World) -> int:
    """A provider's month in Gao, under an agreement (made once per world)."""
    if not hasattr(w, "provider_report"):
        from musow.protection.services import report_save
        from tests.protection_helpers import agreement, month, provider

        org = provider("centre-gao", "ML07")
        agreement(org)
        w.provider_report = report_save(user=None, data=month(org, "ML07"))  # type: ignore[attr-defined]
    return w.provider_report.pk  # type: ignore[attr-defined]


def _agreement(w: World) -> int:
    """The agreement of the provider's month in Gao (made once per world)."""
    _provider_report(w)
    return w.provider_report.agreement_id  # type: ignore[attr-defined]


@dataclass
class Row:
    pattern: str
    url: Callable[[World, Any], str]
    expect: dict[str, Any]
    outside: dict[str, Any] | None = None
    others: dict[str, Any] | None = None
    scoped: bool = True
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    prepare: Callable[[World], None] | None = None

    def expected(self, role: str, where: str) -> Any:
        role = MIRRORS.get(role, role)
        if role not in self.expect:  # a protection officer is a viewer outside its programme
            role = "viewer"
        if where == "outside":
            default = dict.fromkeys(SCOPED_ROLES, NOT_FOUND)
            overrides = default if self.outside is None else self.outside
            return overrides.get(role, self.expect[role])
        if where == "inside":
            return (self.others or {}).get(role, self.expect[role])
        return self.expect[role]


def review_of(activity: Activity) -> Any:
    """A gender review in the activity's region and of its organiser (made once)."""
    from tests.mainstreaming_helpers import make_review

    title = f"Revue de genre {activity.pk}"
    existing = Review.objects.filter(title=title).first()
    organiser = activity.organiser.code if activity.organiser else None
    return existing or make_review(
        title=title, region=activity.place.region.pcode, organisation=organiser
    )


def recommendation_of(review: Any) -> Any:
    from tests.mainstreaming_helpers import make_recommendation

    return review.recommendations.first() or make_recommendation(review)


def project_of() -> Project:
    project, _created = Project.objects.get_or_create(
        code="matrix-project", defaults={"name_fr": "Projet", "name_en": "Project"}
    )
    return project


def _course() -> Any:
    from musow.trainings.services import course_save

    return course_save(code="induction", title_fr="Induction", title_en="Induction")


def _session(activity: Activity) -> int:
    """The activity made a session of a course (the row's target)."""
    from musow.trainings.services import session_link

    return session_link(activity=activity, course=_course()).activity_id


def activity_url(name: str) -> Callable[[World, Any], str]:
    return lambda w, target: url(name, target.pk)


ROWS = [
    # Public pages
    Row("web:home", lambda w, t: url("web:home"), everyone(REDIRECT), scoped=False),
    Row("web:figures", lambda w, t: url("web:figures"), everyone(OK), scoped=False),
    Row("web:figures-year", lambda w, t: url("web:figures-year", 2014), everyone(OK), scoped=False),
    Row(
        "web:figure-activities",
        lambda w, t: url("web:figure-activities", 2014, "people-sensitised-vawg"),
        everyone(OK),
        scoped=False,
    ),
    Row(
        "web:group-activities",
        lambda w, t: url("web:group-activities", 2014, "type", "conference"),
        everyone(OK),
        scoped=False,
    ),
    Row(
        "set_language",
        lambda w, t: url("set_language"),
        everyone(REDIRECT),
        scoped=False,
        method="post",
        data={"language": "en", "next": "/en/"},
    ),
    # The dashboard: aggregates within each user's scope, viewers included
    Row(
        "web:dashboard",
        lambda w, t: url("web:dashboard"),
        {**everyone(OK), "anonymous": LOGIN},
        scoped=False,
    ),
    # Signing in and out
    Row(
        "web:login",
        lambda w, t: url("web:login"),
        {**everyone(REDIRECT), "anonymous": OK},
        scoped=False,
    ),
    Row(
        "web:logout",
        lambda w, t: url("web:logout"),
        everyone(REDIRECT),
        scoped=False,
        method="post",
    ),
    # Everyone's own password
    Row(
        "web:password-change",
        lambda w, t: url("web:password-change"),
        {**everyone(OK), "anonymous": LOGIN},
        scoped=False,
    ),
    # Activities
    Row("web:activities", lambda w, t: url("web:activities"), RECORDS, scoped=False),
    Row("web:activity-new", lambda w, t: url("web:activity-new"), RECORDS, scoped=False),
    Row("web:activity", activity_url("web:activity"), RECORDS),
    Row("web:activity-edit", activity_url("web:activity-edit"), RECORDS, others=AUTHORS_ONLY),
    Row(
        "web:activity-submit",
        activity_url("web:activity-submit"),
        ENTERERS_ACT,
        others=AUTHORS_ONLY,
        method="post",
    ),
    Row(
        "web:activity-validate",
        activity_url("web:activity-validate"),
        VALIDATORS_ACT,
        method="post",
    ),
    Row(
        "web:activity-return",
        activity_url("web:activity-return"),
        VALIDATORS_ACT,
        method="post",
        data={"comment": "Manque la liste de présence."},
    ),
    Row(
        "web:activity-delete",
        activity_url("web:activity-delete"),
        ENTERERS_ACT,
        others=AUTHORS_ONLY,
        method="post",
    ),
    Row(
        "web:activity-restore",
        activity_url("web:activity-restore"),
        ADMIN_ONLY_ACT,
        method="post",
    ),
    # Users, managed by the unit admin
    Row("web:users", lambda w, t: url("web:users"), ADMIN_ONLY, scoped=False),
    Row("web:user-new", lambda w, t: url("web:user-new"), ADMIN_ONLY, scoped=False),
    Row(
        "web:user",
        lambda w, t: url("web:user", w.users["focal_point"].pk),
        ADMIN_ONLY,
        scoped=False,
    ),
    Row(
        "web:user-password",
        lambda w, t: url("web:user-password", w.users["focal_point"].pk),
        ADMIN_ONLY,
        scoped=False,
    ),
    # Reports: every signed-in role reads them in its own scope; admins and officers issue
    Row(
        "reports:report",
        lambda w, t: url("reports:report"),
        {**everyone(OK), "anonymous": LOGIN},
        scoped=False,
    ),
    Row(
        "reports:issue",
        lambda w, t: url("reports:issue"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
        data={"period": "2014", "scope": "", "lang": "fr", "format": "html"},
        prepare=lambda w: _validated_activity(),  # an empty report is not issued
    ),
    Row(
        "reports:text",
        lambda w, t: url("reports:text"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
        data={"period": "2014", "scope": "", "lang": "fr", "highlights_fr": "Une année."},
    ),
    # Data intake: templates, the XLSForm, uploads and exports; viewers see aggregates only
    Row("intake:home", lambda w, t: url("intake:home"), RECORDS, scoped=False),
    Row("intake:template", lambda w, t: url("intake:template", "xlsx"), RECORDS, scoped=False),
    Row("intake:xlsform", lambda w, t: url("intake:xlsform"), RECORDS, scoped=False),
    Row("intake:export", lambda w, t: url("intake:export"), RECORDS, scoped=False),
    # Gender reviews (musow.mainstreaming): officers and the unit admin record and follow
    # up; focal points read the reviews of their regions, partners their organisation's;
    # viewers see aggregates only. The review mirrors the target activity's region and
    # organiser (review_of).
    Row("mainstreaming:reviews", lambda w, t: url("mainstreaming:reviews"), RECORDS, scoped=False),
    Row("mainstreaming:review", lambda w, t: url("mainstreaming:review", review_of(t).pk), RECORDS),
    Row(
        "mainstreaming:review-new",
        lambda w, t: url("mainstreaming:review-new"),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    Row(
        "mainstreaming:review-edit",
        lambda w, t: url("mainstreaming:review-edit", review_of(t).pk),
        VALIDATORS_PAGE,
        outside=SAME_ANSWER_OUTSIDE,
    ),
    Row(
        "mainstreaming:recommendation-add",
        lambda w, t: url("mainstreaming:recommendation-add", review_of(t).pk),
        VALIDATORS_ACT,
        outside=SAME_ANSWER_OUTSIDE,
        method="post",
        data={
            "text": "Ventiler les données par sexe.",
            "section": "police",
            "due_date": "2014-12-31",
        },
    ),
    Row(
        "mainstreaming:recommendation-follow-up",
        lambda w, t: url(
            "mainstreaming:recommendation-follow-up", recommendation_of(review_of(t)).pk
        ),
        VALIDATORS_ACT,
        outside=SAME_ANSWER_OUTSIDE,
        method="post",
        data={"status": "accepted", "on": "2014-07-01", "comment": ""},
    ),
    Row(
        "mainstreaming:projects",
        lambda w, t: url("mainstreaming:projects"),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    Row(
        "mainstreaming:project",
        lambda w, t: url("mainstreaming:project", project_of().code),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    # Trainings: courses are seen by every role that sees records; a session's trainees
    # where its activity is (focal points: their regions; partners: their organisation's)
    Row("web:courses", lambda w, t: url("web:courses"), RECORDS, scoped=False),
    Row("web:course", lambda w, t: url("web:course", _course().code), RECORDS, scoped=False),
    Row("web:training-session", lambda w, t: url("web:training-session", _session(t)), RECORDS),
    # Scores are imported by those who enter activities, into the sessions in their sight
    Row("web:training-scores", lambda w, t: url("web:training-scores", _session(t)), RECORDS),
    Row(
        "web:training-scores",
        lambda w, t: url("web:training-scores", _session(t)),
        RECORDS,
        method="post",
        data={"dry_run": "on"},
    ),
    Row(
        "web:course-xlsform",
        lambda w, t: url("web:course-xlsform", _course().code),
        RECORDS,
        scoped=False,
    ),
    Row(
        "web:score-sheet-template",
        lambda w, t: url("web:score-sheet-template", "csv"),
        RECORDS,
        scoped=False,
    ),
    # The SGBV programme: statistics for every signed-in role (protected; whole for
    # protection officers and the unit admin, audited); reports by protection officers
    Row("web:protection", lambda w, t: url("web:protection"), SIGNED_IN, scoped=False),
    Row(
        "web:protection-reports",
        lambda w, t: url("web:protection-reports"),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-report-new",
        lambda w, t: url("web:protection-report-new"),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-import", lambda w, t: url("web:protection-import"), PROTECTION, scoped=False
    ),
    Row(
        "web:protection-template",
        lambda w, t: url("web:protection-template", "xlsx"),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-report",
        lambda w, t: url("web:protection-report", _provider_report(w)),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-report-advance",
        lambda w, t: url("web:protection-report-advance", _provider_report(w)),
        PROTECTION_ACT,
        scoped=False,
        method="post",
    ),
    # Data-sharing agreements: protection officers and the unit admin
    Row(
        "web:protection-agreements",
        lambda w, t: url("web:protection-agreements"),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-agreement-new",
        lambda w, t: url("web:protection-agreement-new"),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-agreement",
        lambda w, t: url("web:protection-agreement", _agreement(w)),
        PROTECTION,
        scoped=False,
    ),
    Row(
        "web:protection-agreement-end",
        lambda w, t: url("web:protection-agreement-end", _agreement(w)),
        PROTECTION_ACT,
        scoped=False,
        method="post",
        data={"on": "2099-12-31"},
    ),
    # The Django admin: one row per route, below (admin_rows).
]


# --- Women at the table (bodies:*): bodies are placed, not organised -------------------
# The focal point (Gao) sees and enters the bodies of Gao; the partner sees no body (none
# is its organisation's): 404; the viewer sees figures only: 403. "gao" is the Gao
# composition (a draft by the focal point), "bamako" the Bamako one (a draft by the officer).


def _table(w: World) -> dict[str, Any]:
    """The bodies and compositions of the rows below, made once per test."""
    if not hasattr(w, "table"):
        from tests.representation_factories import make_body, make_composition, make_sitting

        gao = make_body("conseil-gao", kind="regional-council", place="ML07")
        bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
        w.table = {  # type: ignore[attr-defined]
            "gao": make_composition(
                gao,
                "2015-03-01",
                status="draft",
                user=w.users["focal_point"],
                member_f=2,
                member_m=5,
            ),
            "bamako": make_composition(
                bamako,
                "2015-03-01",
                status="draft",
                user=w.users["officer"],
                member_f=4,
                member_m=4,
            ),
            "sitting-gao": make_sitting(
                gao, "2015-03-02", status="draft", user=w.users["focal_point"], member_f=1
            ),
            "sitting-bamako": make_sitting(
                bamako, "2015-03-02", status="draft", user=w.users["officer"], member_m=1
            ),
        }
    return w.table  # type: ignore[attr-defined, no-any-return]


def _body_url(name: str, where: str) -> Callable[[World, Any], str]:
    return lambda w, t: url(name, _table(w)[where].body_id)


def _composition_url(name: str, where: str) -> Callable[[World, Any], str]:
    return lambda w, t: url(name, _table(w)[where].pk)


BODY_READ = staff(admin=OK, officer=OK, focal_point=OK, partner=NOT_FOUND, viewer=FORBIDDEN)
BODY_READ_OUTSIDE = {**BODY_READ, "focal_point": NOT_FOUND}
BODY_ACT = staff(
    admin=REDIRECT, officer=REDIRECT, focal_point=REDIRECT, partner=NOT_FOUND, viewer=FORBIDDEN
)
BODY_ACT_OUTSIDE = {**BODY_ACT, "focal_point": NOT_FOUND}
BODY_VALIDATE = VALIDATORS_ACT
TABLE_ROWS = [
    Row("bodies:list", lambda w, t: url("bodies:list"), RECORDS, scoped=False),
    # The compositions behind a figure: each role's own scope (a partner's is empty)
    Row("bodies:figure", lambda w, t: url("bodies:figure", "seats"), RECORDS, scoped=False),
    # Compositions and sittings by file: the unit's officers and admin
    Row("bodies:import", lambda w, t: url("bodies:import"), VALIDATORS_PAGE, scoped=False),
    Row(
        "bodies:template", lambda w, t: url("bodies:template", "csv"), VALIDATORS_PAGE, scoped=False
    ),
    Row("bodies:export", lambda w, t: url("bodies:export", "xlsx"), VALIDATORS_PAGE, scoped=False),
    Row("bodies:body", _body_url("bodies:body", "gao"), BODY_READ, scoped=False),
    Row("bodies:body", _body_url("bodies:body", "bamako"), BODY_READ_OUTSIDE, scoped=False),
    Row(
        "bodies:composition-new",
        _body_url("bodies:composition-new", "gao"),
        BODY_READ,
        scoped=False,
    ),
    Row(
        "bodies:composition-new",
        _body_url("bodies:composition-new", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "bodies:composition", _composition_url("bodies:composition", "gao"), BODY_READ, scoped=False
    ),
    Row(
        "bodies:composition",
        _composition_url("bodies:composition", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    # The focal point edits and submits its own draft, not the officer's (out of its sight)
    Row(
        "bodies:composition-edit",
        _composition_url("bodies:composition-edit", "gao"),
        BODY_READ,
        scoped=False,
    ),
    Row(
        "bodies:composition-edit",
        _composition_url("bodies:composition-edit", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "bodies:composition-submit",
        _composition_url("bodies:composition-submit", "gao"),
        BODY_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "bodies:composition-submit",
        _composition_url("bodies:composition-submit", "bamako"),
        BODY_ACT_OUTSIDE,
        scoped=False,
        method="post",
    ),
    Row(
        "bodies:composition-validate",
        _composition_url("bodies:composition-validate", "gao"),
        BODY_VALIDATE,
        scoped=False,
        method="post",
    ),
    Row(
        "bodies:composition-return",
        _composition_url("bodies:composition-return", "bamako"),
        BODY_VALIDATE,
        scoped=False,
        method="post",
        data={"comment": "Source ?"},
    ),
    # Sittings: the same doors as compositions ("sitting-gao" a draft by the focal point)
    Row("bodies:sitting-new", _body_url("bodies:sitting-new", "gao"), BODY_READ, scoped=False),
    Row(
        "bodies:sitting-new",
        _body_url("bodies:sitting-new", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "bodies:sitting", _composition_url("bodies:sitting", "sitting-gao"), BODY_READ, scoped=False
    ),
    Row(
        "bodies:sitting",
        _composition_url("bodies:sitting", "sitting-bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "bodies:sitting-edit",
        _composition_url("bodies:sitting-edit", "sitting-gao"),
        BODY_READ,
        scoped=False,
    ),
    Row(
        "bodies:sitting-edit",
        _composition_url("bodies:sitting-edit", "sitting-bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "bodies:sitting-submit",
        _composition_url("bodies:sitting-submit", "sitting-gao"),
        BODY_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "bodies:sitting-submit",
        _composition_url("bodies:sitting-submit", "sitting-bamako"),
        BODY_ACT_OUTSIDE,
        scoped=False,
        method="post",
    ),
    Row(
        "bodies:sitting-validate",
        _composition_url("bodies:sitting-validate", "sitting-gao"),
        BODY_VALIDATE,
        scoped=False,
        method="post",
    ),
    Row(
        "bodies:sitting-return",
        _composition_url("bodies:sitting-return", "sitting-bamako"),
        BODY_VALIDATE,
        scoped=False,
        method="post",
        data={"comment": "Source ?"},
    ),
]
ROWS += TABLE_ROWS


# Submissions by women's organisations and agreements: seen and written as their body.
# "gao" ones are drafts by the focal point, "bamako" ones drafts by the officer.


def _advocacy(w: World) -> dict[str, Any]:
    if not hasattr(w, "advocacy"):
        from tests.representation_factories import make_agreement, make_submission

        table = _table(w)
        gao, bamako = table["gao"].body, table["bamako"].body
        focal, officer = w.users["focal_point"], w.users["officer"]
        w.advocacy = {  # type: ignore[attr-defined]
            "submission gao": make_submission(gao, "2015-03-01", status="draft", user=focal),
            "submission bamako": make_submission(
                bamako, "2015-03-01", status="draft", user=officer
            ),
            "agreement gao": make_agreement(gao, "2015-05-15", status="draft", user=focal),
            "agreement bamako": make_agreement(bamako, "2015-05-15", status="draft", user=officer),
        }
        for where in ("gao", "bamako"):
            submission = w.advocacy[f"submission {where}"]  # type: ignore[attr-defined]
            w.advocacy[f"recommendation {where}"] = submission.recommendations.first()  # type: ignore[attr-defined]
    return w.advocacy  # type: ignore[attr-defined, no-any-return]


def _advocacy_url(name: str, what: str) -> Callable[[World, Any], str]:
    return lambda w, t: url(name, _advocacy(w)[what].pk)


def _advocacy_rows(kind: str) -> list[Row]:
    rows = []
    for where in ("gao", "bamako"):
        read = BODY_READ if where == "gao" else BODY_READ_OUTSIDE
        act = BODY_ACT if where == "gao" else BODY_ACT_OUTSIDE
        what = f"{kind} {where}"
        rows += [
            Row(f"bodies:{kind}-new", _body_url(f"bodies:{kind}-new", where), read, scoped=False),
            Row(f"bodies:{kind}", _advocacy_url(f"bodies:{kind}", what), read, scoped=False),
            Row(
                f"bodies:{kind}-edit",
                _advocacy_url(f"bodies:{kind}-edit", what),
                read,
                scoped=False,
            ),
            Row(
                f"bodies:{kind}-submit",
                _advocacy_url(f"bodies:{kind}-submit", what),
                act,
                scoped=False,
                method="post",
            ),
        ]
    rows += [
        Row(
            f"bodies:{kind}-validate",
            _advocacy_url(f"bodies:{kind}-validate", f"{kind} gao"),
            BODY_VALIDATE,
            scoped=False,
            method="post",
        ),
        Row(
            f"bodies:{kind}-return",
            _advocacy_url(f"bodies:{kind}-return", f"{kind} bamako"),
            BODY_VALIDATE,
            scoped=False,
            method="post",
            data={"comment": "Source ?"},
        ),
    ]
    return rows


ADVOCACY_ROWS = [
    *_advocacy_rows("submission"),
    *_advocacy_rows("agreement"),
    Row(
        "bodies:follow-up",
        _advocacy_url("bodies:follow-up", "recommendation gao"),
        BODY_READ,
        scoped=False,
    ),
    Row(
        "bodies:follow-up",
        _advocacy_url("bodies:follow-up", "recommendation bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
]
ROWS += ADVOCACY_ROWS


# --- Security sector and DDR (security:*): like bodies ---------------------------------
# Programme figures are placed: the focal point (Gao) sees and enters those of Gao; the
# partner none (404); the viewer figures only (403). Forces are national: their strengths
# are the officers' (the focal point gets 403 on entry, 404 on a record). "gao" is a DDR
# draft by the focal point, "bamako" one by the officer, "strength" a draft by the officer.


def _security(w: World) -> dict[str, Any]:
    if not hasattr(w, "security"):
        from tests.security_factories import make_report, make_strength

        cells = {"ddr_registered__f__18_plus": 3, "ddr_registered__m__18_plus": 9}
        w.security = {  # type: ignore[attr-defined]
            "gao": make_report(status="draft", user=w.users["focal_point"], **cells),
            "bamako": make_report(status="draft", user=w.users["officer"], pcode="ML09", **cells),
            "strength": make_strength(
                "police", "2015-12-31", women=5, men=45, status="draft", user=w.users["officer"]
            ),
        }
    return w.security  # type: ignore[attr-defined, no-any-return]


def _security_url(name: str, which: str) -> Callable[[World, Any], str]:
    return lambda w, t: url(name, _security(w)[which].pk)


OFFICERS_PAGE = staff(
    admin=OK, officer=OK, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
)
STRENGTH_READ = {**BODY_READ, "focal_point": NOT_FOUND}
STRENGTH_ACT = {**BODY_ACT, "focal_point": NOT_FOUND}
REPORT_ENTRY = staff(admin=OK, officer=OK, focal_point=OK, partner=FORBIDDEN, viewer=FORBIDDEN)
SECURITY_ROWS = [
    Row("security:home", lambda w, t: url("security:home"), RECORDS, scoped=False),
    Row(
        "security:strength-new",
        lambda w, t: url("security:strength-new"),
        OFFICERS_PAGE,
        scoped=False,
    ),
    Row(
        "security:strength",
        _security_url("security:strength", "strength"),
        STRENGTH_READ,
        scoped=False,
    ),
    Row(
        "security:strength-edit",
        _security_url("security:strength-edit", "strength"),
        STRENGTH_READ,
        scoped=False,
    ),
    Row(
        "security:strength-submit",
        _security_url("security:strength-submit", "strength"),
        STRENGTH_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "security:strength-validate",
        _security_url("security:strength-validate", "strength"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "security:strength-return",
        _security_url("security:strength-return", "strength"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
        data={"comment": "Source ?"},
    ),
    Row(
        "security:report-new",
        lambda w, t: url("security:report-new", "ddr"),
        REPORT_ENTRY,
        scoped=False,
    ),
    Row("security:report", _security_url("security:report", "gao"), BODY_READ, scoped=False),
    Row(
        "security:report",
        _security_url("security:report", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "security:report-edit",
        _security_url("security:report-edit", "gao"),
        BODY_READ,
        scoped=False,
    ),
    Row(
        "security:report-edit",
        _security_url("security:report-edit", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "security:report-submit",
        _security_url("security:report-submit", "gao"),
        BODY_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "security:report-submit",
        _security_url("security:report-submit", "bamako"),
        BODY_ACT_OUTSIDE,
        scoped=False,
        method="post",
    ),
    Row(
        "security:report-validate",
        _security_url("security:report-validate", "gao"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "security:report-return",
        _security_url("security:report-return", "bamako"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
        data={"comment": "Source ?"},
    ),
]
ROWS += SECURITY_ROWS


# --- Elections (elections:*): lists are placed, like bodies -----------------------------
# The focal point (Gao) sees every election, enters and sees the lists placed in Gao; the
# partner sees none (404); the viewer figures only (403). Elections are entered by
# officers and the unit admin. "gao" is a Gao list (a draft by the focal point), "bamako"
# a Bamako one (a draft by the officer).


def _elections(w: World) -> dict[str, Any]:
    if not hasattr(w, "elections"):
        from tests.elections_factories import make_election, make_list

        election = make_election()
        w.elections = {  # type: ignore[attr-defined]
            "election": election,
            "gao": make_list(
                election, "FMF", place="ML07", status="draft", user=w.users["focal_point"]
            ),
            "bamako": make_list(
                election, "FMM", place="ML09", status="draft", user=w.users["officer"]
            ),
        }
    return w.elections  # type: ignore[attr-defined, no-any-return]


def _election_url(name: str) -> Callable[[World, Any], str]:
    return lambda w, t: url(name, _elections(w)["election"].pk)


def _list_url(name: str, where: str) -> Callable[[World, Any], str]:
    return lambda w, t: url(name, _elections(w)[where].pk)


ELECTION_ROWS = [
    Row("elections:elections", lambda w, t: url("elections:elections"), RECORDS, scoped=False),
    Row(
        "elections:election-new",
        lambda w, t: url("elections:election-new"),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    # Candidate lists by file: the unit's officers and admin
    Row(
        "elections:lists-import",
        lambda w, t: url("elections:lists-import"),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    Row(
        "elections:lists-template",
        lambda w, t: url("elections:lists-template", "xlsx"),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    Row(
        "elections:lists-export",
        lambda w, t: url("elections:lists-export", "csv"),
        VALIDATORS_PAGE,
        scoped=False,
    ),
    Row("elections:election", _election_url("elections:election"), BODY_READ, scoped=False),
    Row("elections:list-new", _election_url("elections:list-new"), BODY_READ, scoped=False),
    Row("elections:list", _list_url("elections:list", "gao"), BODY_READ, scoped=False),
    Row("elections:list", _list_url("elections:list", "bamako"), BODY_READ_OUTSIDE, scoped=False),
    Row("elections:list-edit", _list_url("elections:list-edit", "gao"), BODY_READ, scoped=False),
    Row(
        "elections:list-edit",
        _list_url("elections:list-edit", "bamako"),
        BODY_READ_OUTSIDE,
        scoped=False,
    ),
    Row(
        "elections:list-submit",
        _list_url("elections:list-submit", "gao"),
        BODY_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "elections:list-submit",
        _list_url("elections:list-submit", "bamako"),
        BODY_ACT_OUTSIDE,
        scoped=False,
        method="post",
    ),
    Row(
        "elections:list-validate",
        _list_url("elections:list-validate", "gao"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
    ),
    Row(
        "elections:list-return",
        _list_url("elections:list-return", "bamako"),
        VALIDATORS_ACT,
        scoped=False,
        method="post",
        data={"comment": "Source ?"},
    ),
]
ROWS += ELECTION_ROWS


# --- the Django admin ----------------------------------------------------------------

# What the unit admin gets on each model's pages, where it is not 200: rows of
# activities are read through their activity, the audit trail and django-axes' logs are
# read-only, activities are withdrawn (an action), never hard-deleted.
NO_ADD = {
    "accounts.user",  # accounts are written on the site's user pages (audited)
    "activities.participation",
    "activities.mediareach",
    "activities.attendance",
    "activities.attendee",
    "audit.entry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
NO_DELETE = {
    "accounts.user",
    "activities.activity",
    "activities.participation",
    "activities.mediareach",
    "activities.attendance",
    "audit.entry",
    "trainings.course",  # its sessions hold it; a course is never deleted
}
# Site-wide pages: the unit admin's answer, and everyone else's when it is not the
# admin's sign-in page.
SITE_ROUTES: dict[str, tuple[Callable[[World], str], Any, Any]] = {
    "index": (lambda w: admin_url("admin:index"), OK, None),
    "login": (lambda w: admin_url("admin:login"), REDIRECT, OK),
    "logout": (lambda w: admin_url("admin:logout"), NOT_ALLOWED, REDIRECT),  # POST only
    "password_change": (lambda w: admin_url("admin:password_change"), OK, None),
    "password_change_done": (lambda w: admin_url("admin:password_change_done"), OK, None),
    "autocomplete": (
        lambda w: (
            admin_url("admin:autocomplete")
            + "?app_label=activities&model_name=activity&field_name=organiser"
        ),
        OK,
        None,
    ),
    "jsi18n": (lambda w: admin_url("admin:jsi18n"), OK, None),
    "view_on_site": (
        lambda w: admin_url(
            "admin:view_on_site", ContentType.objects.get_for_model(User).pk, w.users["admin"].pk
        ),
        NOT_FOUND,  # accounts have no page of their own on the site
        None,
    ),
    "app_list": (lambda w: admin_url("admin:app_list", "activities"), OK, None),
    "auth_user_password_change": (
        lambda w: admin_url("admin:auth_user_password_change", w.users["viewer"].pk),
        FORBIDDEN,  # on the site's user page, audited
        None,
    ),
    "<path:object_id>/": (
        lambda w: admin_url("admin:activities_activity_changelist") + f"{w.inside.pk}/",
        REDIRECT,  # to the change page
        None,
    ),
    "(?P<url>.*)$": (lambda w: admin_url("admin:index") + "no-such-page/", NOT_FOUND, None),
}


def admin_url(name: str, *args: Any) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


def admin_expect(admin_answer: Any, others: Any = None) -> dict[str, Any]:
    return {**dict.fromkeys(ROLES, others or REDIRECT), "admin": admin_answer}


def _model_row(model: Any, view: str) -> Row:
    label = model._meta.label_lower
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    answer = OK
    if view == "add" and label in NO_ADD or view == "delete" and label in NO_DELETE:
        answer = FORBIDDEN
    if view in ("changelist", "add"):
        address = lambda w, t: admin_url(f"admin:{info}_{view}")  # noqa: E731
    else:
        address = lambda w, t: admin_url(f"admin:{info}_{view}", w.sample[label].pk)  # noqa: E731
    return Row(f"admin:{info}_{view}", address, admin_expect(answer), scoped=False)


def admin_rows() -> list[Row]:
    rows = [
        _model_row(model, view)
        for model in admin.site._registry
        for view in ("changelist", "add", "change", "history", "delete")
    ]
    for name, (address, answer, others) in SITE_ROUTES.items():
        rows.append(
            Row(
                f"admin:{name}",
                lambda w, t, address=address: address(w),
                admin_expect(answer, others),
                scoped=False,
            )
        )
    return rows


ADMIN_ROWS = admin_rows()


def _own_drafts(w: World) -> None:
    """Each entering role's own draft, made by its account, in its scope (w.own)."""
    places = {"focal_point": "ML07", "partner": "ML09"}
    w.own = {
        role: activity_save(
            data=activity_input_from_record(
                record(
                    key=f"own-{role}",
                    status="draft",
                    place=places.get(role, "ML09"),
                    organiser="cafo" if role == "partner" else None,
                ),
                source="test",
            ),
            user=w.users[role],
        )
        for role in ENTERING
        if role in w.users
    }


@pytest.fixture
def world(db, settings) -> World:
    """web_fixtures' world, with each entering role's own draft (w.own)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    w = build_world()
    _own_drafts(w)
    return w


def _cases() -> Iterator[Any]:
    for row in ROWS:
        for role in ROLES:
            wheres = ["inside", "outside"] if row.scoped else ["-"]
            if row.scoped and role in ENTERING:
                wheres.insert(0, "own")
            for where in wheres:
                yield pytest.param(row, role, where, id=f"{row.pattern}-{role}-{where}")


def _answer(world: World, row: Row, role: str, where: str) -> tuple[Any, Any, str]:
    """(expected, what came, where it leads)"""
    own = world.own.get(role) if where == "own" else None
    target = world.outside if where == "outside" else own or world.inside
    if row.prepare:
        row.prepare(world)
    address = row.url(world, target)
    client = world.client(role)
    response = getattr(client, row.method)(address, row.data)
    return row.expected(role, where), response.status_code, response.get("Location", "")


def _matches(expected: Any, status: int, location: str) -> bool:
    if expected == LOGIN:
        return status == 302 and location.startswith(url("web:login"))
    return status == expected


@pytest.mark.parametrize(("row", "role", "where"), list(_cases()))
def test_permission_matrix(world: World, row: Row, role: str, where: str) -> None:
    expected, status, location = _answer(world, row, role, where)
    assert _matches(expected, status, location), (row.pattern, role, where, status, location)


@pytest.fixture
def admin_world(db, settings) -> World:
    """The world, the two mirror accounts, and one record of every model the admin shows
    (w.sample, for the pages of one record)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    w = build_world()
    w.users["superuser_viewer"] = User.objects.create_superuser(
        "super-lecteur", password="x", role=User.Role.VIEWER
    )
    w.users["plain_admin"] = User.objects.create_user(
        "admin-sans-superuser", password="x", role=User.Role.ADMIN, is_staff=False
    )
    media = make_activity(
        key="media-and-list",
        media=[{"medium": "radio", "outlet": "Radio Klédu", "audience": 1000}],
        attendance=[{"code": "ETU-1", "sex": "f", "audience": "general-public", "age": "18-plus"}],
    )
    # One of each where the database has none (earlier tests may have left some).
    Group.objects.get_or_create(name="groupe")
    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x", "http_accept": "*"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    if not Target.objects.exists():
        Target.objects.create(indicator=Indicator.objects.first(), period="2014", target=10)
    Campaign.objects.get_or_create(
        code="matrix-8-mars-2014",
        defaults={
            "series": CampaignSeries.objects.first(),
            "name_fr": "8 mars 2014",
            "name_en": "8 March 2014",
            "start_date": date(2014, 3, 8),
            "end_date": date(2014, 3, 8),
        },
    )
    Project.objects.get_or_create(
        code="matrix-project", defaults={"name_fr": "Projet", "name_en": "Project"}
    )
    _course()
    w.sample = {
        model._meta.label_lower: model.objects.order_by("pk").first()
        for model in admin.site._registry
    }
    w.sample["activities.activity"] = media
    missing = sorted(label for label, obj in w.sample.items() if obj is None)
    assert not missing, f"the world needs a record of {missing} for the admin's rows"
    return w


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_django_admin_answers_each_role_by_the_matrix(admin_world: World, role: str) -> None:
    """Every route of the Django admin (admin_rows), for one role: the unit admin (by role,
    superuser or not) gets the admin's answers, everyone else, a superuser of another role
    included, its sign-in page."""
    wrong = []
    for row in ADMIN_ROWS:
        expected, status, location = _answer(admin_world, row, role, "-")
        if not _matches(expected, status, location):
            wrong.append((row.pattern, expected, status, location))
    assert not wrong, wrong


def _patterns(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _patterns(p.url_patterns, inner)
        else:
            key = p.name or str(p.pattern)
            yield namespace, f"{namespace}:{key}" if namespace else key


def test_every_routed_url_has_a_row() -> None:
    covered = {row.pattern for row in [*ROWS, *ADMIN_ROWS, *API_ROWS]}
    missing = sorted(
        {key for _namespace, key in _patterns(get_resolver().url_patterns) if key not in covered}
    )
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"


def test_the_matrix_keeps_its_records_intact(world: World) -> None:
    """The world's records are as the matrix assumes: drafts, one in Gao for CAFO."""
    assert world.inside.status == Activity.Status.DRAFT
    assert world.inside.place.region.pcode == "ML07"
    assert world.outside.place.region.pcode == "ML09"


# --- The API (/api/v1/) and its tokens page -------------------------------------------
# The same roles through personal tokens (anonymous: no token), and the same three
# records as the web rows: the role's own draft (`expect`), someone else's draft in its
# scope (`others`: only its author, officers and the unit admin change it) and the
# out-of-scope one (`outside`). Statuses: 401 without a valid token; 403 for a role that
# may not use the route at all, or may not change that record; 404 for a record outside
# the user's scope (the focal point in Gao and the CAFO partner, on the Bamako activity).
# A route of the `api` or `tokens` namespace without a row here fails
# test_every_routed_url_has_a_row, as a web page does.

UNAUTHORISED, CREATED, CONFLICT = 401, 201, 409


def api_roles(
    *, admin: Any, officer: Any, focal_point: Any, partner: Any, viewer: Any
) -> dict[str, Any]:
    return staff(
        anonymous=UNAUTHORISED,
        admin=admin,
        officer=officer,
        focal_point=focal_point,
        partner=partner,
        viewer=viewer,
    )


API_RECORDS = api_roles(admin=OK, officer=OK, focal_point=OK, partner=OK, viewer=FORBIDDEN)
API_CREATE = api_roles(
    admin=CREATED, officer=CREATED, focal_point=CREATED, partner=CREATED, viewer=FORBIDDEN
)
API_SIGNED_IN = api_roles(admin=OK, officer=OK, focal_point=OK, partner=OK, viewer=OK)
API_VALIDATORS = api_roles(
    admin=OK, officer=OK, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
)
API_ADMIN = api_roles(
    admin=OK, officer=FORBIDDEN, focal_point=FORBIDDEN, partner=FORBIDDEN, viewer=FORBIDDEN
)
# Roles that may never validate get 403 on either record: no hint of existence either way.
SAME_OUTSIDE: dict[str, Any] = {}


def api_body(w: World, target: Any) -> dict[str, Any]:
    """An activity at the target's place, by the target's organiser (if it has one)."""
    return {
        "type": "conference",
        "title": "Activité écrite par l'API",
        "start": "2014-12-02",
        "place": target.place.pcode,
        "organiser": target.organiser.code if target.organiser else None,
        "themes": ["gbv"],
        "participation": [{"audience": "general-public", "sex": "f", "age": "18-plus", "count": 5}],
        "version": target.version,
    }


def _every_record(w: World) -> list[Activity]:
    return [w.inside, w.outside, *w.own.values()]


def _submit_all(w: World) -> None:
    """The records submitted (validating or returning a draft is a conflict, 409)."""
    from musow.activities.services import activity_submit

    for a in _every_record(w):
        activity_submit(activity=a)


def _delete_all(w: World) -> None:
    from musow.activities.services import activity_delete

    for a in _every_record(w):
        activity_delete(activity=a)


def _validated_activity() -> None:
    from tests.factories import make_activity

    make_activity(key="validated-2014", place="ML07", start="2014-11-03", status="validated")


def _issue_report(w: World) -> None:
    _validated_activity()  # an empty report is not issued
    from musow.indicators.periods import Period
    from musow.reports.services import ReportRequest, report_build, report_issue
    from musow.reports.types import ReportScope

    wanted = ReportRequest(Period.parse("2014"), ReportScope.everything(), "json", "fr")
    w.issued = report_issue(report=report_build(wanted)).issued  # type: ignore[attr-defined]


def _partner_token(w: World) -> None:
    from musow.api.services import token_create

    token, _secret = token_create(user=w.users["partner"], name="Script CAFO")
    w.partner_token = token  # type: ignore[attr-defined]


@dataclass
class ApiRow:
    pattern: str
    path: Callable[[World, Any], str]
    expect: dict[str, Any]
    outside: dict[str, Any] | None = None
    others: dict[str, Any] | None = None
    scoped: bool = True
    method: str = "get"
    body: Callable[[World, Any], Any] | None = None
    prepare: Callable[[World], None] | None = None
    multipart: bool = False
    session: bool = False  # a web page of the tokens namespace, signed in by session

    def expected(self, role: str, where: str) -> Any:
        return Row.expected(self, role, where)  # type: ignore[arg-type]


def api(path: str) -> Callable[[World, Any], str]:
    return lambda w, t: "/api/v1/" + path.format(pk=getattr(t, "pk", 0))


def _upload(w: World, target: Any) -> dict[str, Any]:
    import io

    from tests.intake_helpers import FR_HEADER, TAGS
    from tests.intake_helpers import row as csv_row

    del w, target
    lines = [FR_HEADER, TAGS, csv_row("MATRIX-1", region="Gao", status="draft")]
    text = "\r\n".join(";".join(str(c) for c in line) for line in lines)
    upload = io.BytesIO(text.encode())
    upload.name = "a.csv"
    return {"file": upload}


API_ROWS = [
    ApiRow("api:schema", api("schema"), everyone(OK), scoped=False),
    ApiRow("api:docs", api("docs"), everyone(OK), scoped=False),
    ApiRow("api:activities", api("activities"), API_RECORDS, scoped=False),
    # Creating outside one's scope is refused (403): there is no record to hide.
    ApiRow(
        "api:activities",
        api("activities"),
        API_CREATE,
        outside={"focal_point": FORBIDDEN, "partner": FORBIDDEN},
        method="post",
        body=api_body,
    ),
    ApiRow("api:activity", api("activities/{pk}"), API_RECORDS),
    ApiRow(
        "api:activity",
        api("activities/{pk}"),
        API_RECORDS,
        others=AUTHORS_ONLY,
        method="put",
        body=api_body,
    ),
    ApiRow(
        "api:activity-submit",
        api("activities/{pk}/submit"),
        API_RECORDS,
        others=AUTHORS_ONLY,
        method="post",
    ),
    ApiRow(
        "api:activity-validate",
        api("activities/{pk}/validate"),
        API_VALIDATORS,
        outside=SAME_OUTSIDE,
        method="post",
        prepare=_submit_all,
    ),
    ApiRow(
        "api:activity-return",
        api("activities/{pk}/return"),
        API_VALIDATORS,
        outside=SAME_OUTSIDE,
        method="post",
        body=lambda w, t: {"comment": "Manque la liste de présence."},
        prepare=_submit_all,
    ),
    ApiRow(
        "api:activity-delete",
        api("activities/{pk}/delete"),
        API_RECORDS,
        others=AUTHORS_ONLY,
        method="post",
    ),
    ApiRow(
        "api:activity-restore",
        api("activities/{pk}/restore"),
        API_ADMIN,
        outside=SAME_OUTSIDE,
        method="post",
        prepare=_delete_all,
    ),
    ApiRow("api:activity-participation", api("activities/{pk}/participation"), API_RECORDS),
    ApiRow("api:activity-media", api("activities/{pk}/media"), API_RECORDS),
    ApiRow("api:activity-attendance", api("activities/{pk}/attendance"), API_RECORDS),
    ApiRow("api:activity-audit", api("activities/{pk}/audit"), API_RECORDS),
    ApiRow(
        "api:figures",
        api("figures?indicator=participants-all&period=2014&by=region"),
        API_SIGNED_IN,
        scoped=False,
    ),
    # The SGBV programme's tables: protected for every role; whole (and audited) for
    # protection officers and the unit admin
    ApiRow("api:sgbv", api("sgbv?period=2014"), API_SIGNED_IN, scoped=False),
    ApiRow("api:indicators", api("indicators"), API_SIGNED_IN, scoped=False),
    ApiRow("api:indicator", api("indicators/participants-all"), API_SIGNED_IN, scoped=False),
    ApiRow(
        "api:indicator-targets",
        api("indicators/participants-all/targets"),
        API_SIGNED_IN,
        scoped=False,
    ),
    ApiRow("api:vocabularies", api("vocabularies"), API_SIGNED_IN, scoped=False),
    ApiRow("api:places", api("places?level=1"), API_SIGNED_IN, scoped=False),
    ApiRow("api:place", api("places/ML07"), API_SIGNED_IN, scoped=False),
    ApiRow(
        "api:imports",
        api("imports"),
        # The partner may import, but this row is not its organisation's: refused (422).
        api_roles(admin=OK, officer=OK, focal_point=OK, partner=422, viewer=FORBIDDEN),
        scoped=False,
        method="post",
        body=_upload,
        multipart=True,
    ),
    ApiRow("api:reports", api("reports?period=2014&output=json"), API_SIGNED_IN, scoped=False),
    ApiRow("api:reports-issued", api("reports/issued"), API_SIGNED_IN, scoped=False),
    # A report issued for everything: beyond a focal point's or a partner's scope.
    ApiRow(
        "api:report-issued",
        lambda w, t: f"/api/v1/reports/issued/{w.issued.pk}",  # type: ignore[attr-defined]
        api_roles(admin=OK, officer=OK, focal_point=NOT_FOUND, partner=NOT_FOUND, viewer=OK),
        scoped=False,
        prepare=_issue_report,
    ),
    ApiRow("api:not-found", api("no/such/resource"), everyone(NOT_FOUND), scoped=False),
    # The tokens page: every signed-in role has its own tokens.
    ApiRow(
        "tokens:list",
        lambda w, t: url("tokens:list"),
        {**everyone(OK), "anonymous": LOGIN},
        scoped=False,
        session=True,
    ),
    # Revoking the partner's token: the partner itself and the unit admin; for anyone
    # else the token does not exist.
    ApiRow(
        "tokens:revoke",
        lambda w, t: url("tokens:revoke", w.partner_token.pk),  # type: ignore[attr-defined]
        staff(
            admin=REDIRECT,
            officer=NOT_FOUND,
            focal_point=NOT_FOUND,
            partner=REDIRECT,
            viewer=NOT_FOUND,
        ),
        scoped=False,
        method="post",
        prepare=_partner_token,
        session=True,
    ),
]


def _api_cases() -> Iterator[Any]:
    """As _cases: the role's own draft too, for the roles that enter activities."""
    for row in API_ROWS:
        for role in ROLES:
            wheres = ["inside", "outside"] if row.scoped else ["-"]
            if row.scoped and role in ENTERING:
                wheres.insert(0, "own")
            for where in wheres:
                yield pytest.param(
                    row, role, where, id=f"{row.pattern}-{row.method}-{role}-{where}"
                )


@pytest.mark.parametrize(("row", "role", "where"), list(_api_cases()))
def test_api_permission_matrix(world: World, row: ApiRow, role: str, where: str) -> None:
    import json

    from django.core.cache import cache

    from tests.api_helpers import ApiClient, token_client

    cache.clear()  # the rate limit counts per token
    if row.prepare:
        row.prepare(world)
        for record in _every_record(world):
            record.refresh_from_db()
    own = world.own.get(role) if where == "own" else None
    target = world.outside if where == "outside" else own or world.inside
    address = row.path(world, target)
    if row.session:
        client: Any = world.client(role)
    else:
        client = ApiClient() if role == "anonymous" else token_client(world.users[role])
    body = row.body(world, target) if row.body else {}
    if row.method == "get":
        response = client.get(address)
    elif row.multipart or row.session:
        response = getattr(client, row.method)(address, body)
    else:
        response = getattr(client, row.method)(
            address, json.dumps(body), content_type="application/json"
        )
    expected = row.expected(role, where)
    if expected == LOGIN:
        assert response.status_code == 302, (address, response.status_code)
        assert response["Location"].startswith(url("web:login")), response["Location"]
    else:
        assert response.status_code == expected, (
            response.content.decode()[:900],
            address,
            role,
            where,
            response.status_code,
            response.content[:300],
        )


def test_every_api_route_has_a_row() -> None:
    covered = {row.pattern for row in API_ROWS}
    missing = sorted(
        key
        for namespace, key in _patterns(get_resolver().url_patterns)
        if namespace in ("api", "tokens") and key not in covered
    )
    assert not missing, f"API routes without a row in the permission matrix: {missing}"
