"""Candidate lists by file: the template (CSV or XLSX, French or English, with its HXL
row), the export of every list in the same layout, and the upload page (all or nothing:
every problem listed by row and column, nothing written). For the unit's officers and
admin; `elections.services` checks each list against the user's scope."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.elections.imports import export_rows, lists_import, template_csv, template_xlsx
from musow.web.access import validator_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Template filled in (XLSX or CSV)"),
        help_text=gettext_lazy(
            "One row per candidate list; every problem is listed, nothing is written."
        ),
    )


@validator_required
def lists_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{Path(upload.name).suffix.lower()[:6]}"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                outcome = lists_import(user=request.user, path=path, name=upload.name)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _(
                        "Candidate lists: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % vars(outcome),
                )
                return redirect("elections:elections")
    return render(request, "web/elections/import.html", {"form": form})


def _file(fmt: str, stem: str, rows: list[list[object]]) -> HttpResponse:
    lang = get_language() or "fr"
    if fmt == "csv":
        response = HttpResponse(template_csv(lang, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(template_xlsx(lang, rows), content_type=XLSX)
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{lang}.{fmt}"'
    return response


@validator_required
def lists_template(request: HttpRequest, fmt: str) -> HttpResponse:
    return _file(fmt, _("candidate-lists-template"), [])


@validator_required
def lists_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every list the user may see, in the template's layout."""
    lists = scopes.candidate_lists_for(request.user).order_by("election__code", "party", "pk")
    return _file(fmt, _("candidate-lists-export"), export_rows(lists))
