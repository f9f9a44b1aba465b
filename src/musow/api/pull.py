"""Pulling field data: the submissions of the musow form from a KoboToolbox server (its
v2 API, JSON pages) or an ODK Central server (its REST API's CSV ZIP export), imported
through the file import's path (musow.intake: `Exports` rewrites them, the importer
writes them).

- All or nothing per pull: every page is fetched before anything is written, and the
  import itself is one transaction. A server error or a broken connection mid-pull
  leaves nothing half-imported; the next pull fetches again from the start.
- Idempotent: submissions are keyed by their instance UUID (an edit on the server keeps
  its root UUID), so a second pull updates what changed and leaves the rest unchanged.
- A refused token (wrong or expired) says so plainly, and how to mend it.
"""

import json
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.utils.translation import gettext as _

from musow.api.services import pull_mark_record
from musow.intake.importer import import_files
from musow.intake.report import ImportReport

TIMEOUT = 60  # seconds per request
PAGE_SIZE = 1000  # Kobo's v2 API serves at most 30 000 a page; smaller pages fail less
MAX_PAGES = 10_000
MAX_BYTES = 200 * 1024 * 1024  # the file import's limit, for the whole pull


class PullError(Exception):
    """A pull that could not be made; the message says why, in the active language."""


@dataclass
class PullResult:
    server: str
    form: str
    submissions: int
    pages: int
    report: ImportReport


Progress = Callable[[str], None]


def _same_server(base: str, url: str) -> bool:
    a, b = urlsplit(base), urlsplit(url)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _get(url: str, headers: dict[str, str], server: str, *, data: bytes | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise PullError(
                _(
                    "%(server)s refused the token (HTTP %(code)s): it is wrong, expired or "
                    "lacks access to the form. Create a new one on the server and set it in "
                    "the settings. Nothing was imported."
                )
                % {"server": server, "code": exc.code}
            ) from None
        if exc.code == 404:
            raise PullError(
                _(
                    "%(server)s does not know this form (HTTP 404): check the form's "
                    "identifier in the settings. Nothing was imported."
                )
                % {"server": server}
            ) from None
        raise PullError(
            _(
                "%(server)s answered an error (HTTP %(code)s) during the pull. Nothing was "
                "imported; the next pull starts again."
            )
            % {"server": server, "code": exc.code}
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PullError(
            _(
                "%(server)s could not be reached (%(reason)s). Nothing was imported; the "
                "next pull starts again."
            )
            % {"server": server, "reason": getattr(exc, "reason", exc)}
        ) from None
    if len(body) > MAX_BYTES:
        raise PullError(_("The pull is larger than 200 MB: import the export file instead."))
    return body


def _json(body: bytes, server: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise PullError(
            _("%(server)s answered something that is not JSON. Nothing was imported.")
            % {"server": server}
        ) from None


def _check_settings(values: dict[str, str]) -> None:
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise PullError(
            _("Set %(names)s (environment variables) before pulling.")
            % {"names": ", ".join(missing)}
        )


def _import(
    path: Path, name: str, *, user: Any, dry_run: bool, server: str, form: str, count: int
) -> ImportReport:
    report = import_files([(path, name)], user=user, dry_run=dry_run)
    if report.written:
        pull_mark_record(server=server, form=form, submissions=count)
    return report


# --- KoboToolbox ----------------------------------------------------------------------


def kobo_pull(
    *,
    url: str,
    token: str,
    asset: str,
    user: Any = None,
    dry_run: bool = False,
    page_size: int = PAGE_SIZE,
    progress: Progress | None = None,
) -> PullResult:
    """Every submission of the asset, page by page, then one import."""
    _check_settings({"MUSOW_KOBO_URL": url, "MUSOW_KOBO_TOKEN": token, "MUSOW_KOBO_ASSET": asset})
    base = url.rstrip("/")
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    query = urlencode({"format": "json", "limit": page_size, "start": 0})
    next_url: str | None = f"{base}/api/v2/assets/{quote(asset)}/data/?{query}"
    submissions: list[Any] = []
    pages = 0
    while next_url:
        if pages >= MAX_PAGES or not _same_server(base, next_url):
            raise PullError(
                _("KoboToolbox's next page is not on the server. Nothing was imported.")
            )
        page = _json(_get(next_url, headers, "KoboToolbox"), "KoboToolbox")
        results = page.get("results") if isinstance(page, dict) else None
        if not isinstance(results, list):
            raise PullError(_("KoboToolbox's answer has no list of results. Nothing was imported."))
        submissions += results
        pages += 1
        next_url = page.get("next") or None
        if progress:
            progress(
                _("page %(page)s: %(n)s of %(count)s submissions")
                % {"page": pages, "n": len(submissions), "count": page.get("count", "?")}
            )
    with tempfile.TemporaryDirectory(prefix="musow-kobo-") as folder:
        path = Path(folder) / "kobo.json"
        path.write_text(json.dumps(submissions), encoding="utf-8")
        report = _import(
            path,
            f"KoboToolbox {asset}",
            user=user,
            dry_run=dry_run,
            server="kobo",
            form=asset,
            count=len(submissions),
        )
    return PullResult("kobo", asset, len(submissions), pages, report)


# --- ODK Central ----------------------------------------------------------------------


def _odk_token(base: str, token: str, email: str, password: str) -> str:
    if token:
        return token
    _check_settings({"MUSOW_ODK_EMAIL": email, "MUSOW_ODK_PASSWORD": password})
    body = _get(
        f"{base}/v1/sessions",
        {"Content-Type": "application/json", "Accept": "application/json"},
        "ODK Central",
        data=json.dumps({"email": email, "password": password}).encode(),
    )
    session = _json(body, "ODK Central")
    if not isinstance(session, dict) or not session.get("token"):
        raise PullError(_("ODK Central gave no session token. Nothing was imported."))
    return str(session["token"])


def odk_pull(
    *,
    url: str,
    project: str,
    form: str,
    token: str = "",
    email: str = "",
    password: str = "",
    user: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> PullResult:
    """The form's submissions as Central's CSV ZIP export (one request), then one import."""
    _check_settings({"MUSOW_ODK_URL": url, "MUSOW_ODK_PROJECT": project, "MUSOW_ODK_FORM": form})
    if not (token or email):
        raise PullError(
            _("Set MUSOW_ODK_TOKEN, or MUSOW_ODK_EMAIL and MUSOW_ODK_PASSWORD, before pulling.")
        )
    base = url.rstrip("/")
    bearer = _odk_token(base, token, email, password)
    address = (
        f"{base}/v1/projects/{quote(project)}/forms/{quote(form)}/submissions.csv.zip"
        "?attachments=false"
    )
    body = _get(address, {"Authorization": f"Bearer {bearer}"}, "ODK Central")
    if not body.startswith(b"PK"):
        raise PullError(_("ODK Central's answer is not a ZIP archive. Nothing was imported."))
    if progress:
        progress(_("%(size)s bytes received") % {"size": len(body)})
    with tempfile.TemporaryDirectory(prefix="musow-odk-") as folder:
        path = Path(folder) / f"{form}.csv.zip"
        path.write_bytes(body)
        report = _import(
            path,
            f"ODK Central {form}.csv.zip",
            user=user,
            dry_run=dry_run,
            server="odk",
            form=f"{project}/{form}",
            count=0,
        )
    return PullResult("odk", form, report.rows, 1, report)
