"""Errors as application/problem+json (RFC 9457), in the request's language.

Every error the API answers is one JSON object: `type`, `title`, `status`, `detail`, and
for bad input `errors`, one entry per problem naming its field (`field`, a JSON
`pointer` into the request body or the query parameter's name) with its own `detail`.
Nothing is written when an error is answered: each write runs in one transaction.
"""

import logging
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

PROBLEM = "application/problem+json"
logger = logging.getLogger("musow.api")
TYPES = "https://musow.invalid/problems/"  # stable identifiers, not pages

TITLES = {
    400: gettext_lazy("The request is not valid."),
    401: gettext_lazy("Authentication is needed."),
    403: gettext_lazy("Your role does not allow this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This method is not allowed here."),
    406: gettext_lazy("This format cannot be given."),
    409: gettext_lazy("Conflict with the record's current state."),
    413: gettext_lazy("The request is too large."),
    415: gettext_lazy("This media type is not accepted."),
    422: gettext_lazy("The file cannot be imported."),
    429: gettext_lazy("Too many requests."),
    500: gettext_lazy("Internal error."),
}
SLUGS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "import-refused",
    429: "rate-limited",
    500: "internal-error",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Conflict with the record's current state.")
    default_code = "conflict"


class Invalid(exceptions.APIException):
    """Bad input as a Django ValidationError or a {field: [messages]} mapping."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, errors: Any, status_code: int = 400) -> None:
        self.status_code = status_code
        super().__init__(detail=errors)


def problem(
    status_code: int,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPES + SLUGS.get(status_code, str(status_code)),
        "title": str(TITLES.get(status_code, _("Error."))),
        "status": status_code,
        "detail": detail or str(TITLES.get(status_code, "")),
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = JsonResponse(body, status=status_code, content_type=PROBLEM)
    response["Content-Language"] = _current_lang()
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@csrf_exempt  # nothing is written here; a POST too gets the 404
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under /api/v1/ that names no resource."""
    return problem(404, _("No resource at this address: see /api/v1/docs."))


def _current_lang() -> str:
    from musow.lib.i18n import current_lang

    return current_lang()


def field_errors(detail: Any, path: str = "") -> Iterator[dict[str, str]]:
    """One entry per message, naming its field (nested fields as a/0/b)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            yield from field_errors(value, f"{path}/{name}" if name else path)
    elif isinstance(detail, list | tuple):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield from field_errors(item, path)
        else:
            for index, item in enumerate(detail):
                if item:
                    yield from field_errors(item, f"{path}/{index}")
    else:
        field = path.strip("/").replace("/", ".")
        yield {"field": field, "pointer": "#" + path if path else "", "detail": str(detail)}


def django_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return [str(m) for m in exc.messages]


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF's exception handler, answering problem+json."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = Invalid(django_errors(exc))
    if not isinstance(exc, exceptions.APIException):
        # A defect: logged with its traceback for the administrator; the client gets a
        # problem without one, and the request's transaction is rolled back.
        set_rollback()
        logger.exception("API error", exc_info=exc)
        return problem(500, _("An internal error occurred; it has been logged."))
    set_rollback()
    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)
    request = context.get("request")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        view = context.get("view")
        header = view.get_authenticate_header(request) if view and request else None
        if header:
            headers["WWW-Authenticate"] = header
        else:  # session only: DRF answers 403 there; a missing credential is a 401
            headers["WWW-Authenticate"] = 'Bearer realm="musow"'
        exc.status_code = 401
    code = exc.status_code
    detail = exc.detail
    if isinstance(exc, exceptions.Throttled):
        return problem(
            429,
            _("This token made too many requests: wait %(seconds)s seconds, then try again.")
            % {"seconds": headers.get("Retry-After", "60")},
            headers=headers,
        )
    if isinstance(detail, dict | list) and code in (400, 409, 413, 422):
        errors = list(field_errors(detail))
        summary = (
            errors[0]["detail"]
            if len(errors) == 1
            else _("%(n)s problems: see errors.") % {"n": len(errors)}
        )
        return problem(code, summary, errors, headers=headers)
    return problem(code, str(detail), headers=headers)
