from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from musow.geo.models import Gazetteer, Place


class RegionListFilter(admin.SimpleListFilter):
    """Filter by first-level unit; lists regions only, however many communes are loaded.

    `region_field` is the lookup from the filtered model to a place's region
    (`region` on places, `place__region` on activities).
    """

    title = _("region")
    parameter_name = "region"
    region_field = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        regions = Place.objects.filter(level=Place.Level.REGION).select_related("gazetteer")
        return [(p.pk, str(p)) for p in regions.order_by("gazetteer", "name_fr")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(**{self.region_field: self.value()})
        return queryset


@admin.register(Gazetteer)
class GazetteerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "vintage", "licence", "place_count")
    search_fields = ("code", "name", "vintage")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Gazetteer]:
        return super().get_queryset(request).annotate(place_count=Count("places"))

    @admin.display(description=_("places"), ordering="place_count")
    def place_count(self, obj: Gazetteer) -> int:
        return int(getattr(obj, "place_count", 0))


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("pcode", "localized_name", "level", "parent", "region", "gazetteer")
    list_display_links = ("pcode", "localized_name")
    list_filter = ("level", "gazetteer", RegionListFilter)
    list_select_related = ("parent", "region", "gazetteer")
    search_fields = ("pcode", "iso_3166_2", "name_fr", "name_en")
    autocomplete_fields = ("parent",)
    readonly_fields = ("region", "has_boundary")
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("gazetteer", "level", "pcode", "iso_3166_2", "parent", "region")}),
        (_("names"), {"fields": ("name_fr", "name_en", "kind_fr", "kind_en")}),
        (_("validity"), {"fields": ("valid_from", "valid_to", "has_boundary", "note")}),
    )

    @admin.display(description=_("name"), ordering="name_fr")
    def localized_name(self, obj: Place) -> str:
        return obj.name

    @admin.display(description=_("boundary"), boolean=True)
    def has_boundary(self, obj: Place) -> bool:
        return obj.boundary is not None
