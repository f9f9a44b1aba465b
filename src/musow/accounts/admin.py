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
    """Django's user admin, with the musow role and scopes (regions, organisation)."""

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

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "regions":
            kwargs["queryset"] = Place.objects.filter(level=Place.Level.REGION)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
