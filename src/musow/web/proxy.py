"""Which visitor came over HTTPS, behind a TLS proxy.

Django believes SECURE_PROXY_SSL_HEADER from anyone who sends it; this middleware (first
in settings.MIDDLEWARE) drops X-Forwarded-Proto unless the request comes from one of the
addresses in MUSOW_TRUSTED_PROXY, so that only the configured proxy can say "https".
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "HTTP_X_FORWARDED_PROTO"


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR") not in settings.TRUSTED_PROXIES:
            request.META.pop(HEADER, None)
        return self.get_response(request)
