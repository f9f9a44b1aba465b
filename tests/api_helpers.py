"""Helpers for the API tests: a client that sends a personal token."""

from typing import Any

from django.test import Client

from musow.api.services import token_create


class ApiClient(Client):
    """A test client that sends `Authorization: Bearer <token>` (and a language)."""

    def __init__(self, token: str | None = None, lang: str | None = None) -> None:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if lang:
            headers["Accept-Language"] = lang
        super().__init__(headers=headers)


def token_client(user: Any, lang: str | None = None) -> ApiClient:
    _token, secret = token_create(user=user, name=f"test {user.username}")
    return ApiClient(secret, lang)


API = "/api/v1/"
