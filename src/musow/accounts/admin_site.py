"""The Django admin, opened by role: who may enter it, and what they may do in it, is
asked of musow.accounts.scopes like at every other door (not of `is_staff`,
`is_superuser` or Django's per-model permissions, which the site does not use)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from musow.accounts import scopes

        return scopes.may_use_admin(request.user)


class AdminConfig(DjangoAdminConfig):
    """Installed in place of "django.contrib.admin" (settings.INSTALLED_APPS)."""

    default_site = "musow.accounts.admin_site.AdminSite"


class RoleBackend:
    """Model permissions, which the Django admin asks for each page and action, follow
    the role: whoever may use the admin (scopes.may_use_admin) has them; nobody else.
    Each ModelAdmin narrows them further (read-only rows, no hard deletes)."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None  # signing in is ModelBackend's

    def get_user(self, user_id: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        from musow.accounts import scopes

        return scopes.may_use_admin(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        from musow.accounts import scopes

        return scopes.may_use_admin(user_obj)
