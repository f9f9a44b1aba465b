from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from musow.accounts.models import User
from musow.geo.models import Place

admin.site.site_header = _("musow · Gender Unit")
admin.site.site_title = _("musow")
admin.site.index_title = _("Back office")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts, shown read-only: they are created, changed, deactivated and given a
    password on the site's user pages (/fr/utilisateurs/), through accounts.services, which
    check them (the last admin, a focal point's regions…) and audit every change. The
    admin's own forms would do neither, and what a person may do follows the role, not
    the groups, permissions or superuser flag edited here."""

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role and scope"), {"fields": ("role", "regions", "organisation")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "regions", "organisation")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "role", "organisation")
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "groups")
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ("groups", "user_permissions", "regions")
    autocomplete_fields = ("organisation",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "regions":
            kwargs["queryset"] = Place.objects.filter(level=Place.Level.REGION)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
