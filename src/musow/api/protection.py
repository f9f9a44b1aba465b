"""/api/v1/sgbv: the SGBV programme's tables for a period and scope, as the statistics page
shows them — PROTECTED (small numbers and the cells that would recover them hidden: their
text is the mark, their value null) for every role but protection officers and the unit
admin, who get them whole, each such answer written to the audit trail (door "api")."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from musow.accounts import scopes
from musow.api.activities import PROBLEMS
from musow.api.permissions import SignedIn
from musow.api.problems import Invalid
from musow.geo.models import Place
from musow.indicators.periods import Period, PeriodError
from musow.protection import disclosure, services
from musow.protection.release import Shown, release_build, release_protected, release_show


class SgbvQuery(serializers.Serializer):
    period = serializers.CharField(
        max_length=30, help_text=gettext_lazy("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30")
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=gettext_lazy("P-codes of regions, separated by commas"),
    )


class SgbvRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    cells = serializers.ListField(child=serializers.CharField())
    values = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class SgbvTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    headers = serializers.ListField(child=serializers.CharField())
    rows = SgbvRowSerializer(many=True)
    total = SgbvRowSerializer(allow_null=True)
    hidden = serializers.IntegerField()
    footnote = serializers.CharField()


class SgbvSerializer(serializers.Serializer):
    period = serializers.CharField()
    region = serializers.ListField(child=serializers.CharField())
    whole = serializers.BooleanField()
    threshold = serializers.IntegerField()
    tables = SgbvTableSerializer(many=True)


class SgbvTables(APIView):
    permission_classes = [SignedIn]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="sgbv_tables",
        summary="The SGBV programme's tables for a period: protected, or whole (audited)",
        description="Les tableaux du programme VSBG pour une période : protégés (petits "
        "nombres et cases permettant de les retrouver masqués : texte « < 5 » ou « × », "
        "valeur null), sauf pour les agent·es de protection et l'administration de l'Unité, "
        "qui les reçoivent en entier — chaque réponse entière est inscrite au journal.",
        parameters=[SgbvQuery],
        responses={(200, "application/json"): SgbvSerializer, **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        given = SgbvQuery(data=request.query_params)
        given.is_valid(raise_exception=True)
        q = given.validated_data
        errors: dict[str, list[str]] = {}
        try:
            period = Period.parse(q["period"])
        except PeriodError as exc:
            errors["period"] = [str(exc)]
        codes = [c.strip() for c in (q.get("region") or "").split(",") if c.strip()]
        found = dict(
            Place.objects.filter(level=Place.Level.REGION, pcode__in=codes).values_list(
                "pcode", "pk"
            )
        )
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors["region"] = [_("Unknown code “%(code)s”.") % {"code": c} for c in unknown]
        if errors:
            raise Invalid(errors)
        user = request.user
        own = scopes.protection_region_ids(user) or scopes.figure_scope(user).regions
        regions = tuple(sorted(found.values()))
        if own and any(r not in own for r in regions):
            raise exceptions.NotFound(_("This scope is outside yours."))
        regions = regions or tuple(own)
        whole = scopes.sees_protection_whole(user)
        if whole:
            tables = release_show(release_build(period, regions), whole=True)
            services.whole_view_record(
                user=user,
                tables=[t.code for t in tables],
                scope=",".join(map(str, regions)) or "*",
                period=period.code,
                door="api",
            )
        else:
            tables = release_protected(period, regions)
        return Response(
            {
                "period": period.code,
                "region": codes,
                "whole": whole,
                "threshold": disclosure.threshold(),
                "tables": [_table(t) for t in tables],
            }
        )


def _table(shown: Shown) -> dict[str, Any]:
    def row(code: str, cells: list[str], values: list[int | None]) -> dict[str, Any]:
        return {"code": code, "label": cells[0], "cells": cells[1:], "values": values}

    return {
        "code": shown.code,
        "title": shown.title,
        "columns": shown.col_codes,
        "headers": shown.header[1:],
        "rows": [
            row(code, cells, values)
            for code, cells, values in zip(shown.row_codes, shown.rows, shown.values, strict=True)
        ],
        "total": row("total", shown.footer, shown.footer_values) if shown.footer else None,
        "hidden": shown.hidden,
        "footnote": shown.footnote,
    }
