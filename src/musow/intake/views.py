"""Web pages of the data intake: download templates and the XLSForm, upload a file
(with a dry-run box) and read the validation report in the page, export."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from musow.accounts import scopes
from musow.intake.export import ExportError, activities_to_export, export_xlsx
from musow.intake.importer import import_files
from musow.intake.report import added_text, report_summary, sheet_heading, status_changes_text
from musow.intake.templates import write_csv, write_xlsx
from musow.intake.xlsform import write_xlsform
from musow.lib.i18n import LANGS, current_lang

MAX_UPLOAD = 200 * 1024 * 1024
# A request must end well within the server's timeout (gunicorn: 30 s): larger files are
# imported with `musow import`.
MAX_WEB_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX, CSV, KoboToolbox JSON or ODK Central .csv.zip)"),
        help_text=_(
            "An import template, or a KoboToolbox / ODK Central export of the musow form "
            "(KoboToolbox: the XLS export holds the attendance lists, its CSV does not)."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): report, write nothing"), required=False, initial=True
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


def _enterer(request: HttpRequest) -> None:
    if not scopes.can_enter(request.user):
        raise PermissionDenied


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or current_lang()
    return lang if lang in LANGS else current_lang()


@login_required
@require_http_methods(["GET", "POST"])
def intake_home(request: HttpRequest) -> HttpResponse:
    _enterer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:6]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = import_files(
                [(path, Path(upload.name).name)],
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
                max_rows=MAX_WEB_ROWS,
            )
    context = {
        "form": form,
        "report": report,
        "summary": report_summary(report) if report else "",
        "status_changes": status_changes_text(report) if report and report.ok else "",
        "added": added_text(report) if report and report.ok else "",
        "sheets": [(sheet, sheet_heading(sheet)) for sheet in report.sheets()] if report else [],
        "may_export": scopes.sees_records(request.user),
    }
    return render(request, "intake/import.html", context, status=200)


@login_required
@require_GET
def template_download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    _enterer(request)
    lang = _lang(request)
    name = f"{'modele-activites' if lang == 'fr' else 'activities-template'}-{lang}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")
        write_csv(response, kind="activities", lang=lang)  # type: ignore[arg-type]
        return response
    handle = tempfile.TemporaryFile()
    write_xlsx(handle, lang=lang)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)


@login_required
@require_GET
def xlsform_download(request: HttpRequest) -> HttpResponseBase:
    _enterer(request)
    handle = tempfile.TemporaryFile()
    write_xlsform(handle, langs=["fr", "en"])
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename="musow-xlsform.xlsx", content_type=XLSX
    )


@login_required
@require_GET
def export_download(request: HttpRequest) -> HttpResponse:
    if not scopes.sees_records(request.user):
        raise PermissionDenied
    lang = _lang(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        try:
            export_xlsx(
                path,
                activities=activities_to_export(request.user),
                lang=lang,
                keys=scopes.may_export_attendee_keys(request.user),
            )
        except ExportError as exc:
            messages.error(request, str(exc))
            return redirect("intake:home")
        data = path.read_bytes()
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="musow-export.xlsx"'
    return response
