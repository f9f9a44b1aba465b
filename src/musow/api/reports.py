"""/api/v1/reports: the unit's periodic report built in any format within the user's
scope (viewers: without the annex of activities), and the issued reports with the
differences from the one issued before."""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from musow.api.activities import PROBLEMS
from musow.api.permissions import SignedIn
from musow.api.problems import Invalid
from musow.reports import renderers
from musow.reports.models import IssuedReport
from musow.reports.scope import scope_parse
from musow.reports.services import (
    FORMATS,
    default_scope,
    report_build,
    report_render,
    report_request,
    scope_allowed,
)
from musow.reports.types import ReportError


class ReportQuery(serializers.Serializer):
    period = serializers.CharField(
        max_length=30, help_text=gettext_lazy("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30")
    )
    scope = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=gettext_lazy(
            "A region's P-code, an organisation's or a campaign's code (default: your own)"
        ),
    )
    lang = serializers.ChoiceField(choices=[("fr", "fr"), ("en", "en")], required=False)
    output = serializers.ChoiceField(
        choices=[(f, f) for f in FORMATS],
        required=False,
        default="json",
        help_text=gettext_lazy("json, csv, xlsx, pdf or html"),
    )


class Reports(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="reports_build",
        summary="The periodic report, built in any format",
        description="Le rapport périodique, dans n'importe quel format, dans votre périmètre.",
        parameters=[ReportQuery],
        responses={
            **{
                (200, renderers.CONTENT_TYPES[f].split(";")[0]): OpenApiTypes.BINARY
                for f in FORMATS
            },
            (200, "application/json"): OpenApiTypes.OBJECT,
            **PROBLEMS,
        },
    )
    def get(self, request: Request) -> Any:
        given = ReportQuery(data=request.query_params)
        given.is_valid(raise_exception=True)
        q = given.validated_data
        try:  # no scope: the user's own (a focal point's region, a partner's organisation)
            asked = scope_parse(q["scope"]) if q.get("scope") else default_scope(request.user)
        except ReportError as exc:
            raise Invalid({"scope": str(exc).splitlines()}) from None
        if not scope_allowed(request.user, asked):
            raise exceptions.NotFound(_("This scope is outside yours."))
        try:
            wanted = report_request(
                period=q["period"],
                scope=asked.code,
                fmt=q["output"],
                lang=q.get("lang"),
                user=request.user,
            )
        except ReportError as exc:
            raise Invalid({"period": str(exc).splitlines()}) from None
        report = report_build(wanted, user=request.user)
        response = HttpResponse(
            report_render(report, wanted.fmt), content_type=renderers.CONTENT_TYPES[wanted.fmt]
        )
        response["Content-Disposition"] = (
            f'inline; filename="{renderers.filename(report, wanted.fmt)}"'
        )
        return response


class IssuedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    scope = serializers.CharField()
    sha256 = serializers.CharField()
    issued_at = serializers.DateTimeField()
    issued_by = serializers.CharField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    what = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class IssuedDetailSerializer(IssuedSerializer):
    figures = serializers.DictField()
    previous = serializers.IntegerField(allow_null=True)
    changes = ChangeSerializer(many=True)


def _issued_json(r: IssuedReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "period": r.period,
        "scope": r.scope_code,
        "sha256": r.sha256,
        "issued_at": r.issued_at.isoformat(),
        "issued_by": r.issued_by.get_username() if r.issued_by else None,
    }


def _visible(request: Request, r: IssuedReport) -> bool:
    try:
        return scope_allowed(request.user, scope_parse(r.scope_code or None))
    except ReportError:
        return False


def _flatten(data: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Each figure of an issued report by its path (headline/people-reached…)."""
    if isinstance(data, dict):
        out: dict[tuple[str, ...], Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, (*path, str(key))))
        return out
    return {path: data}


class IssuedReports(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="reports_issued",
        summary="The reports issued, newest first (those within your scope)",
        description="Les rapports émis, du plus récent au plus ancien, dans votre périmètre.",
        responses={200: IssuedSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        issued = IssuedReport.objects.select_related("issued_by").defer("figures", "provenance")
        return Response([_issued_json(r) for r in issued[:500] if _visible(request, r)])


class IssuedReportDetail(APIView):
    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="reports_issued_read",
        summary="An issued report: its figures and what changed since the one before",
        description="Un rapport émis : ses chiffres et ce qui a changé depuis le précédent.",
        responses={200: IssuedDetailSerializer, **PROBLEMS},
    )
    def get(self, request: Request, pk: int) -> Response:
        report = IssuedReport.objects.select_related("issued_by").filter(pk=pk).first()
        if report is None or not _visible(request, report):
            raise exceptions.NotFound()
        previous = (
            IssuedReport.objects.filter(
                period=report.period,
                scope_kind=report.scope_kind,
                scope_code=report.scope_code,
                issued_at__lt=report.issued_at,
            )
            .order_by("-issued_at", "-id")
            .first()
        )
        changes = []
        if previous is not None:
            before, after = _flatten(previous.figures), _flatten(report.figures)
            changes = [
                {"what": "/".join(path), "before": before.get(path), "after": after.get(path)}
                for path in sorted(set(before) | set(after))
                if before.get(path) != after.get(path)
            ]
        return Response(
            {
                **_issued_json(report),
                "figures": report.figures,
                "previous": previous.pk if previous else None,
                "changes": changes,
            }
        )
