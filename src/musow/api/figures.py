"""/api/v1/figures, /indicators (with their targets): the engine's figures within the
user's scope (viewers included: aggregates), with their provenance as a link to the
activities behind them for the roles that see records."""

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from musow.accounts import scopes
from musow.activities.models import Campaign, Organisation, Project
from musow.api.activities import PROBLEMS
from musow.api.permissions import SignedIn
from musow.api.problems import Invalid
from musow.api.renderers import CSVRenderer
from musow.geo.models import Place
from musow.indicators.engine import EngineError, Scope, compute
from musow.indicators.models import Indicator, Target
from musow.indicators.periods import Period, PeriodError
from musow.indicators.rules import dimension_choices

# HXL hashtags of the figures CSV's dimension columns.
DIM_TAGS = {
    "year": "#date+year",
    "quarter": "#date+quarter",
    "month": "#date+month",
    "region": "#adm1",
    "activity_type": "#activity+type",
    "theme": "#sector+theme",
    "campaign": "#activity+campaign",
    "project": "#activity+project",
    "organiser": "#org+organiser",
    "audience": "#reached+audience",
    "sex": "#reached+sex",
    "age_group": "#reached+age",
    "medium": "#meta+medium",
}


class FigureQuery(serializers.Serializer):
    indicator = serializers.CharField(max_length=80, help_text=gettext_lazy("Indicator code"))
    period = serializers.CharField(
        max_length=30, help_text=gettext_lazy("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30")
    )
    by = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=gettext_lazy("Breakdown: dimensions separated by commas (region,sex)"),
    )
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=gettext_lazy("P-codes")
    )
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=100)
    campaign = serializers.CharField(required=False, allow_blank=True, max_length=100)
    project = serializers.CharField(required=False, allow_blank=True, max_length=100)
    provisional = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("Count submitted activities too, not only validated ones"),
    )


class MemberSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class FigureRowSerializer(serializers.Serializer):
    key = serializers.DictField(child=MemberSerializer())
    value = serializers.FloatField(allow_null=True)


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class FigureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    rule = serializers.CharField()
    period = PeriodSerializer()
    provisional = serializers.BooleanField()
    total = serializers.FloatField(allow_null=True)
    by = serializers.ListField(child=serializers.CharField())
    rows = FigureRowSerializer(many=True)
    scope = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    activities = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Provenance: the activities behind the figure")
    )


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _ids(model: Any, field: str, codes: list[str], name: str, errors: dict) -> tuple[int, ...]:
    qs = model if isinstance(model, QuerySet) else model.objects.all()
    found = dict(qs.filter(**{f"{field}__in": codes}).values_list(field, "pk"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors[name] = [_("Unknown code “%(code)s”.") % {"code": c} for c in unknown]
    return tuple(sorted(set(found.values())))


class Figures(APIView):
    permission_classes = [SignedIn]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    csv_name = "chiffres"

    @extend_schema(
        operation_id="figures",
        summary="A figure: an indicator for a period and scope, broken down",
        description="Un chiffre : un indicateur pour une période et un périmètre, ventilé ; "
        "limité au périmètre de l'utilisateur. ?format=csv : CSV avec une ligne HXL.",
        parameters=[FigureQuery],
        responses={
            (200, "application/json"): FigureSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            **PROBLEMS,
        },
    )
    def get(self, request: Request) -> Response:
        given = FigureQuery(data=request.query_params)
        given.is_valid(raise_exception=True)
        q = given.validated_data
        errors: dict[str, list[str]] = {}
        indicator = Indicator.objects.filter(code=q["indicator"].strip()).first()
        if indicator is None:
            errors["indicator"] = [_("Unknown indicator “%(code)s”.") % {"code": q["indicator"]}]
        try:
            period = Period.parse(q["period"])
        except PeriodError as exc:
            errors["period"] = [str(exc)]
        by = [d for d in _codes(q.get("by", "")) if d]
        known = {code for code, _label in dimension_choices()}
        bad = [d for d in by if d not in known]
        if bad:
            errors["by"] = [_("Unknown dimension(s): %(dims)s.") % {"dims": ", ".join(bad)}]
        regions = _codes(q.get("region", ""))
        requested = Scope(
            regions=_ids(
                Place.objects.filter(level=Place.Level.REGION), "pcode", regions, "region", errors
            )
            if regions
            else (),
            organisations=_ids(
                Organisation, "code", _codes(q.get("organisation", "")), "organisation", errors
            ),
            campaigns=_ids(Campaign, "code", _codes(q.get("campaign", "")), "campaign", errors),
            projects=_ids(Project, "code", _codes(q.get("project", "")), "project", errors),
        )
        if errors:
            raise Invalid(errors)
        user = request.user
        scope = scopes.narrow(user, requested)
        if not scopes.may_see_scope(user, scope):
            raise exceptions.NotFound(_("This scope is outside yours."))
        assert indicator is not None
        try:
            result = compute(indicator, period, scope, by, provisional=q["provisional"])
        except EngineError as exc:
            raise Invalid({"by": [str(exc)]}) from None
        body = result.as_dict()
        body["scope"] = {
            "region": regions,
            "organisation": _codes(q.get("organisation", "")),
            "campaign": _codes(q.get("campaign", "")),
            "project": _codes(q.get("project", "")),
        }
        body["activities"] = None
        if scopes.sees_records(user):
            params = {"indicator": indicator.code, "period": period.code}
            if q["provisional"]:
                params["provisional"] = "true"
            if len(regions) == 1:
                params["region"] = regions[0]
            body["activities"] = (
                request.build_absolute_uri(reverse("api:activities")) + "?" + urlencode(params)
            )
        return Response(body)

    def csv_table(self, data: dict[str, Any]) -> tuple[list[str], list[str], list[list[Any]]]:
        by = data["by"]
        headers = ["indicator", "period"]
        tags = ["#indicator+code", "#date+period"]
        for dim in by:
            tag = DIM_TAGS.get(dim, "#meta+" + dim)
            headers += [dim, f"{dim}_label"]
            tags += [f"{tag}+code", f"{tag}+name"]
        headers.append("value")
        tags.append("#indicator+value+num")
        head = [data["indicator"], data["period"]["code"]]
        if not by:
            return headers, tags, [[*head, data["total"]]]
        rows = []
        for row in data["rows"]:
            cells = list(head)
            for dim in by:
                member = row["key"].get(dim) or {}
                cells += [member.get("code"), member.get("label")]
            rows.append([*cells, row["value"]])
        return headers, tags, rows


# --- indicators and targets -------------------------------------------------------------


class TargetSerializer(serializers.Serializer):
    period = serializers.CharField()
    baseline = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    note = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_fr = serializers.CharField()
    name_en = serializers.CharField()
    description_fr = serializers.CharField()
    description_en = serializers.CharField()
    rule = serializers.CharField()
    disaggregations = serializers.ListField(child=serializers.CharField())
    is_headline = serializers.BooleanField()
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)
    targets = TargetSerializer(many=True)
    figures = serializers.CharField()


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def target_json(t: Target) -> dict[str, Any]:
    return {
        "period": t.period,
        "baseline": _number(t.baseline),
        "target": _number(t.target),
        "note": t.note,
    }


def indicator_json(request: Request, i: Indicator, targets: list[Target]) -> dict[str, Any]:
    return {
        "code": i.code,
        "name_fr": i.name_fr,
        "name_en": i.name_en,
        "description_fr": i.description_fr,
        "description_en": i.description_en,
        "rule": i.rule,
        "disaggregations": list(i.disaggregations or []),
        "is_headline": i.is_headline,
        "numerator": i.numerator.code if i.numerator_id and i.numerator else None,
        "denominator": i.denominator.code if i.denominator_id and i.denominator else None,
        "targets": [target_json(t) for t in targets],
        "figures": request.build_absolute_uri(reverse("api:figures"))
        + "?"
        + urlencode({"indicator": i.code}),
    }


def _indicators() -> Any:
    return Indicator.objects.select_related("numerator", "denominator").prefetch_related("targets")


class Indicators(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="indicators_list",
        summary="Indicators, with their targets",
        description="Indicateurs, avec leurs cibles.",
        responses={200: IndicatorSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        return Response([indicator_json(request, i, list(i.targets.all())) for i in _indicators()])


class IndicatorDetail(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="indicators_read",
        summary="An indicator, with its targets",
        description="Un indicateur, avec ses cibles.",
        responses={200: IndicatorSerializer, **PROBLEMS},
    )
    def get(self, request: Request, code: str) -> Response:
        indicator = _indicators().filter(code=code).first()
        if indicator is None:
            raise exceptions.NotFound()
        return Response(indicator_json(request, indicator, list(indicator.targets.all())))


class IndicatorTargets(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="indicators_targets",
        summary="An indicator's baselines and targets by period",
        description="Valeurs de référence et cibles d'un indicateur, par période.",
        responses={200: TargetSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, code: str) -> Response:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise exceptions.NotFound()
        return Response([target_json(t) for t in indicator.targets.all()])
