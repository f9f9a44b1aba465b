"""Answering a write that could not get its turn (`musow.lib.busy`): HTTP 503 with a
page in the user's language that says nothing was written and to try again, with a
button that sends the same form again (the user's input is kept), and Retry-After.

The middleware catches it where views raise it; `server_error` (the site's handler500)
catches it anywhere else (a session saved after the view), and is Django's own 500
page otherwise.
"""

import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.defaults import server_error as django_server_error

from musow.lib.busy import BUSY_MESSAGE, is_busy

RETRY_AFTER = 10  # seconds
# Fields never written back into a page, and uploads, which a page cannot send again.
_SECRET = ("password", "csrfmiddlewaretoken")


def busy_response(request: HttpRequest) -> HttpResponse:
    fields: list[tuple[str, str]] = []
    resend = request.method == "POST" and not request.FILES
    if resend:
        for name, values in request.POST.lists():
            if any(word in name.lower() for word in _SECRET):
                if name != "csrfmiddlewaretoken":
                    resend = False
                continue
            fields.extend((name, value) for value in values)
    context = {
        "message": BUSY_MESSAGE,
        "resend": resend,
        "fields": fields if resend else [],
        "action": request.get_full_path(),
        "was_post": request.method == "POST",
    }
    response = render(request, "web/busy.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_busy(exception):
            return busy_response(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if exc is not None and is_busy(exc):
        try:
            return busy_response(request)
        except Exception:  # noqa: S110 - the page itself failed: Django's plain 500 page
            pass
    return django_server_error(request)
