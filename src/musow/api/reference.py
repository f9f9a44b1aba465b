"""/api/v1/vocabularies and /places: the codes a client writes, and the places as GeoJSON
(P-codes, names in both languages, boundaries). Every signed-in role reads them."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    CampaignSeries,
    MediaReach,
    Objective,
    Organisation,
    Project,
    Sex,
    Theme,
)
from musow.api.activities import PROBLEMS
from musow.api.permissions import SignedIn
from musow.geo.models import Place


class TermSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_fr = serializers.CharField()
    name_en = serializers.CharField()


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class VocabulariesSerializer(serializers.Serializer):
    activity_types = TermSerializer(many=True)
    themes = TermSerializer(many=True)
    audiences = TermSerializer(many=True)
    age_groups = TermSerializer(many=True)
    objectives = TermSerializer(many=True)
    campaign_series = TermSerializer(many=True)
    campaigns = TermSerializer(many=True)
    projects = TermSerializer(many=True)
    organisations = ChoiceSerializer(many=True)
    sexes = ChoiceSerializer(many=True)
    media = ChoiceSerializer(many=True)
    statuses = ChoiceSerializer(many=True)


def _terms(qs: QuerySet[Any]) -> list[dict[str, str]]:
    return [
        {"code": code, "name_fr": fr, "name_en": en}
        for code, fr, en in qs.values_list("code", "name_fr", "name_en")
    ]


def _choices(choices: Any) -> list[dict[str, str]]:
    return [{"code": value, "name": str(label)} for value, label in choices]


class Vocabularies(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="vocabularies",
        summary="The codes of every list an activity uses",
        description="Les codes de toutes les listes qu'utilise une activité.",
        responses={200: VocabulariesSerializer, **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "activity_types": _terms(ActivityType.objects.all()),
                "themes": _terms(Theme.objects.all()),
                "audiences": _terms(Audience.objects.all()),
                "age_groups": _terms(AgeGroup.objects.all()),
                "objectives": _terms(Objective.objects.all()),
                "campaign_series": _terms(CampaignSeries.objects.all()),
                "campaigns": _terms(Campaign.objects.all()),
                "projects": _terms(Project.objects.all()),
                "organisations": [
                    {"code": code, "name": name}
                    for code, name in Organisation.objects.values_list("code", "name")
                ],
                "sexes": _choices(Sex.choices),
                "media": _choices(MediaReach.Medium.choices),
                "statuses": _choices(Activity.Status.choices),
            }
        )


class PlaceQuery(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Place.Level.choices, required=False, help_text=gettext_lazy("1 region … 4")
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=gettext_lazy("Places of this region (P-code)"),
    )
    geometry = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("Include the boundaries")
    )


def feature(place: Place, geometry: bool) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": place.pcode or str(place.pk),
        "geometry": place.boundary if geometry else None,
        "properties": {
            "pcode": place.pcode,
            "name_fr": place.name_fr,
            "name_en": place.name_en,
            "level": place.level,
            "parent": place.parent.pcode if place.parent_id and place.parent else None,
            "region": place.region.pcode if place.region_id and place.region else None,
            "gazetteer": place.gazetteer.code,
        },
    }


FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {"type": "object", "nullable": True},
        "properties": {"type": "object"},
    },
}
COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE},
    },
}


def _places() -> QuerySet[Place]:
    return Place.objects.select_related("parent", "region", "gazetteer").defer(
        "parent__boundary", "region__boundary"
    )


class Places(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="places_list",
        summary="Places as a GeoJSON FeatureCollection",
        description="Les lieux (P-codes), en GeoJSON ; géométries avec geometry=true.",
        parameters=[PlaceQuery],
        responses={(200, "application/geo+json"): COLLECTION, **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        given = PlaceQuery(data=request.query_params)
        given.is_valid(raise_exception=True)
        q = given.validated_data
        qs = _places().order_by("level", "pcode", "pk")
        if q.get("level"):
            qs = qs.filter(level=q["level"])
        if q.get("region"):
            qs = qs.filter(region__pcode=q["region"])
        if not q["geometry"]:
            qs = qs.defer("boundary")
        body = {
            "type": "FeatureCollection",
            "features": [feature(p, q["geometry"]) for p in qs],
        }
        return Response(body, content_type="application/geo+json")


class PlaceDetail(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="places_read",
        summary="A place with its boundary (GeoJSON Feature)",
        description="Un lieu avec ses limites (Feature GeoJSON).",
        responses={(200, "application/geo+json"): FEATURE, **PROBLEMS},
    )
    def get(self, request: Request, pcode: str) -> Response:
        place = _places().filter(pcode=pcode).order_by("-gazetteer_id").first()
        if place is None:
            raise exceptions.NotFound()
        return Response(feature(place, True), content_type="application/geo+json")


__all__ = ["OpenApiTypes"]
