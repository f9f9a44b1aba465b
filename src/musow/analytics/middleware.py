"""After a request that may have written (any method but GET, HEAD, OPTIONS, TRACE), the
analytics store copies the changes once the response has been sent (request_finished),
so the next figure does not wait for them. Reading pages never pay for it."""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

wrote: ContextVar[bool] = ContextVar("analytics_request_wrote", default=False)

SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CatchUpAfterWrites:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE:
            wrote.set(True)
        return self.get_response(request)
