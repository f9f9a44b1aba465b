"""The regions' shapes as the map draws them (`musow.lib.maps`, which reads no database):
read here, handed to the map by the page or report that draws it."""

import json
from collections.abc import Collection

from musow.geo.models import Gazetteer, Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.lib.i18n import localized
from musow.lib.maps import MapRegion, MapShapes


def map_shapes(lang: str) -> MapShapes:
    """Regions with a boundary in the shipped gazetteer (geoBoundaries / OCHA COD-AB), named
    in `lang`, with the names of every region (those without a boundary of their own are
    listed under the map) and the boundaries' attribution and licence."""
    regions = []
    attribution = licence = ""
    shipped_id = (
        Gazetteer.objects.filter(code=SHIPPED_GAZETTEER).values_list("pk", flat=True).first()
    )
    places = Place.objects.filter(
        gazetteer__code=SHIPPED_GAZETTEER, level=Place.Level.REGION, boundary__isnull=False
    ).select_related("gazetteer")
    for place in places.order_by("pcode"):
        attribution, licence = place.gazetteer.attribution, place.gazetteer.licence
        geometry = json.dumps(place.boundary, sort_keys=True)
        regions.append(MapRegion(place.pcode, localized(place, "name", lang), geometry))
    named = Place.objects.filter(level=Place.Level.REGION).exclude(pcode="")
    names = {  # the shipped gazetteer's name where another gazetteer has the same P-code
        place.pcode: localized(place, "name", lang)
        for place in sorted(named, key=lambda p: p.gazetteer_id == shipped_id)
    }
    return MapShapes(tuple(regions), names, attribution, licence)


def regions_outside(region_ids: Collection[int]) -> set[str]:
    """P-codes of the regions that a scope limited to `region_ids` leaves out (nothing when
    it is not limited to regions): what the map draws as "outside the scope"."""
    if not region_ids:
        return set()
    regions = Place.objects.filter(level=Place.Level.REGION)
    inside = set(regions.filter(pk__in=region_ids).values_list("pcode", flat=True))
    return set(regions.exclude(pcode__in=inside).values_list("pcode", flat=True))
