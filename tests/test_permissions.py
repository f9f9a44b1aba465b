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
        assert response.status_code == expected, (
            response.content.decode()[:900],
            address,
            role,
            where,
            response.status_code,
        )


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
    covered = {row.pattern for row in ROWS} | {row.pattern for row in API_ROWS}
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


# --- The API (/api/v1/) and its tokens page -------------------------------------------
# The same roles through personal tokens (anonymous: no token). Statuses: 401 without a
# valid token; 403 for a role that may not use the route at all; 404 for a record outside
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
    """An activity at the target's place, by the target's organiser."""
    return {
        "type": "conference",
        "title": "Activité écrite par l'API",
        "start": "2014-12-02",
        "place": target.place.pcode,
        "organiser": target.organiser.code,
        "themes": ["gbv"],
        "participation": [{"audience": "general-public", "sex": "f", "age": "18-plus", "count": 5}],
        "version": target.version,
    }


def _submit_both(w: World) -> None:
    from musow.activities.services import activity_submit

    for a in (w.inside, w.outside):
        activity_submit(activity=a)


def _delete_both(w: World) -> None:
    from musow.activities.services import activity_delete

    for a in (w.inside, w.outside):
        activity_delete(activity=a)


def _issue_report(w: World) -> None:
    from musow.indicators.periods import Period
    from musow.reports.builder import ReportScope
    from musow.reports.services import ReportRequest, report_build, report_issue

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
    ApiRow("api:activity", api("activities/{pk}"), API_RECORDS, method="put", body=api_body),
    ApiRow("api:activity-submit", api("activities/{pk}/submit"), API_RECORDS, method="post"),
    ApiRow(
        "api:activity-validate",
        api("activities/{pk}/validate"),
        API_VALIDATORS,
        outside=SAME_OUTSIDE,
        method="post",
        prepare=_submit_both,
    ),
    ApiRow(
        "api:activity-return",
        api("activities/{pk}/return"),
        API_VALIDATORS,
        outside=SAME_OUTSIDE,
        method="post",
        body=lambda w, t: {"comment": "Manque la liste de présence."},
        prepare=_submit_both,
    ),
    ApiRow("api:activity-delete", api("activities/{pk}/delete"), API_RECORDS, method="post"),
    ApiRow(
        "api:activity-restore",
        api("activities/{pk}/restore"),
        API_ADMIN,
        outside=SAME_OUTSIDE,
        method="post",
        prepare=_delete_both,
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
    for row in API_ROWS:
        for role in ROLES:
            for where in ("inside", "outside") if row.scoped else ("-",):
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
        world.inside.refresh_from_db()
        world.outside.refresh_from_db()
    target = world.outside if where == "outside" else world.inside
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
