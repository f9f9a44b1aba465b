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
- `outside` overrides `expect` for the out-of-scope record; by default the focal point
  (Gao) and the partner (CAFO) get 404 there, whatever the action: never a hint that
  the record exists;
- `method` "post" for actions; `data` the form sent.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from musow.activities.models import Activity
from tests import web_fixtures
from tests.web_fixtures import ROLES, World, url

world = web_fixtures.world  # the fixture: one account per role, two activities

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
DJANGO_ADMIN = staff(
    anonymous=REDIRECT,
    admin=OK,
    officer=REDIRECT,
    focal_point=REDIRECT,
    partner=REDIRECT,
    viewer=REDIRECT,
)


@dataclass
class Row:
    pattern: str
    url: Callable[[World, Any], str]
    expect: dict[str, Any]
    outside: dict[str, Any] | None = None
    scoped: bool = True
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)

    def expected(self, role: str, where: str) -> Any:
        if where == "outside":
            default = dict.fromkeys(SCOPED_ROLES, NOT_FOUND)
            overrides = default if self.outside is None else self.outside
            return overrides.get(role, self.expect[role])
        return self.expect[role]


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
    # Activities
    Row("web:activities", lambda w, t: url("web:activities"), RECORDS, scoped=False),
    Row("web:activity-new", lambda w, t: url("web:activity-new"), RECORDS, scoped=False),
    Row("web:activity", activity_url("web:activity"), RECORDS),
    Row("web:activity-edit", activity_url("web:activity-edit"), RECORDS),
    Row("web:activity-submit", activity_url("web:activity-submit"), ENTERERS_ACT, method="post"),
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
    Row("web:activity-delete", activity_url("web:activity-delete"), ENTERERS_ACT, method="post"),
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
    ),
    # Data intake: templates, the XLSForm, uploads and exports; viewers see aggregates only
    Row("intake:home", lambda w, t: url("intake:home"), RECORDS, scoped=False),
    Row("intake:template", lambda w, t: url("intake:template", "xlsx"), RECORDS, scoped=False),
    Row("intake:xlsform", lambda w, t: url("intake:xlsform"), RECORDS, scoped=False),
    Row("intake:export", lambda w, t: url("intake:export"), RECORDS, scoped=False),
    # The Django admin: unit admin (staff) only; the others are sent to its sign-in page.
    Row(
        "admin:*",
        lambda w, t: url("admin:activities_activity_change", t.pk),
        DJANGO_ADMIN,
        outside={},
    ),
]


def _cases() -> Iterator[Any]:
    for row in ROWS:
        for role in ROLES:
            for where in ("inside", "outside") if row.scoped else ("-",):
                yield pytest.param(row, role, where, id=f"{row.pattern}-{role}-{where}")


@pytest.mark.parametrize(("row", "role", "where"), list(_cases()))
def test_permission_matrix(world: World, row: Row, role: str, where: str) -> None:
    target = world.outside if where == "outside" else world.inside
    address = row.url(world, target)
    client = world.client(role)
    response = getattr(client, row.method)(address, row.data)
    expected = row.expected(role, where)
    if expected == LOGIN:
        assert response.status_code == 302, (address, response.status_code)
        assert response["Location"].startswith(url("web:login")), response["Location"]
    else:
        assert response.status_code == expected, (address, role, where, response.status_code)


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
    covered = {row.pattern for row in ROWS}
    missing = sorted(
        {
            key
            for namespace, key in _patterns(get_resolver().url_patterns)
            if key not in covered and f"{namespace}:*" not in covered
        }
    )
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"


def test_the_matrix_keeps_its_records_intact(world: World) -> None:
    """The world's records are as the matrix assumes: drafts, one in Gao for CAFO."""
    assert world.inside.status == Activity.Status.DRAFT
    assert world.inside.place.region.pcode == "ML07"
    assert world.outside.place.region.pcode == "ML09"
