"""/api/v1/imports: upload a file (template, KoboToolbox or ODK Central export) with a
dry run by default; the same report as the import page, all or nothing."""

import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from musow.api.activities import PROBLEMS
from musow.api.permissions import Enters
from musow.api.problems import PROBLEM, problem
from musow.intake.importer import import_files
from musow.intake.report import ImportReport, report_summary

MAX_UPLOAD = 200 * 1024 * 1024
MAX_ROWS = 20_000  # as the web page: larger files go through `musow import`


class ImportUpload(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy("XLSX, CSV, KoboToolbox JSON or ODK Central .csv.zip")
    )
    dry_run = serializers.BooleanField(
        required=False, default=True, help_text=gettext_lazy("Check only, write nothing")
    )


class ImportProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    value = serializers.CharField()
    detail = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    file = serializers.CharField()
    dry_run = serializers.BooleanField()
    ok = serializers.BooleanField()
    written = serializers.BooleanField()
    summary = serializers.CharField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    problems = ImportProblemSerializer(many=True)
    more_problems = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


def report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "dry_run": report.dry_run,
        "ok": report.ok,
        "written": report.written,
        "summary": report_summary(report),
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "problems": [
            {
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "detail": p.message,
            }
            for p in report.problems
        ],
        "more_problems": report.more_problems,
        "warnings": [str(w) for w in report.warnings],
    }


class Imports(APIView):
    permission_classes = [Enters]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="imports_create",
        summary="Import a file (dry run by default); the import page's report",
        description="Importer un fichier (essai à blanc par défaut) ; le rapport de la page "
        "d'import. Tout ou rien : un problème, rien n'est écrit (422).",
        request={"multipart/form-data": ImportUpload},
        responses={
            200: ReportSerializer,
            201: ReportSerializer,
            **PROBLEMS,
            (413, PROBLEM): PROBLEMS[(400, PROBLEM)],
            (422, PROBLEM): PROBLEMS[(400, PROBLEM)],
        },
    )
    def post(self, request: Request) -> Any:
        given = ImportUpload(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        if upload.size > MAX_UPLOAD:
            return problem(413, str(gettext_lazy("The file is larger than 200 MB.")))
        suffix = Path(upload.name or "").suffix.lower()[:6]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = import_files(
                [(path, Path(upload.name or "upload").name)],
                user=request.user,
                dry_run=given.validated_data["dry_run"],
                max_rows=MAX_ROWS,
            )
        body = report_json(report)
        if not report.ok:
            errors = [
                {
                    "field": p["column"],
                    "pointer": "",
                    "detail": str(problem_text),
                    "sheet": p["sheet"],
                    "row": p["row"],
                }
                for p, problem_text in zip(body["problems"], report.problems, strict=True)
            ]
            return problem(422, body["summary"], errors, report=body)
        return Response(body, status=201 if report.written else 200)
