"""The SGBV programme's pages: providers' monthly reports (protection officers and the
unit admin) and the programme's statistics (everyone signed in: protected; protection
officers and the unit admin: whole, each view written to the audit trail)."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.indicators.periods import Period, PeriodError
from musow.protection import services
from musow.protection.imports import reports_import, template_csv, template_xlsx
from musow.protection.models import ProviderReport
from musow.protection.release import (
    hidden_count,
    release_build,
    release_protected,
    release_show,
)
from musow.web.access import _requires
from musow.web.history import history
from musow.web.protection_forms import PeriodForm, ProviderReportForm

protection_required = _requires(scopes.can_enter_protection)
signed_in = _requires(lambda user: True)


def _reports(request: HttpRequest):  # type: ignore[no-untyped-def]
    regions = scopes.protection_region_ids(request.user)
    qs = ProviderReport.objects.select_related("provider", "place")
    return qs.filter(region_id__in=regions) if regions else qs


@protection_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = _reports(request).order_by("-month", "provider__name")[:200]
    return render(request, "web/protection_report_list.html", {"reports": reports})


@protection_required
def report_new(request: HttpRequest) -> HttpResponse:
    form = ProviderReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_save(user=request.user, data=form.report_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Provider report saved."))
            return redirect("web:protection-report", report.pk)
    return render(request, "web/protection_report_form.html", {"form": form, "report": None})


@protection_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    initial = ProviderReportForm.initial_for(report)
    form = ProviderReportForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                user=request.user,
                data=form.report_input(),
                report=report,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Provider report saved."))
            return redirect("web:protection-report", report.pk)
    context = {
        "form": form,
        "report": report,
        "history": history(Entry.objects.for_target(report).select_related("actor")[:50]),
    }
    return render(request, "web/protection_report_form.html", context)


@require_POST
@protection_required
def report_advance(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    try:
        services.report_advance(user=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Report status: %(status)s.") % {"status": report.get_status_display()}
        )
    return redirect("web:protection-report", report.pk)


@signed_in
def statistics(request: HttpRequest) -> HttpResponse:
    """The programme's tables for a period: protected, or whole (and audited)."""
    form = PeriodForm(request.GET or None)
    text = (request.GET.get("period") or "2014").strip()
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        form.add_error("period", str(exc))
        period = Period.parse("2014")
    regions = _statistics_regions(request)
    whole = scopes.sees_protection_whole(request.user)
    if whole:
        tables = release_show(release_build(period, regions), whole=True)
    else:
        tables = release_protected(period, regions)
    if whole:
        services.whole_view_record(
            user=request.user,
            tables=[t.code for t in tables],
            scope=",".join(map(str, regions)) or "*",
            period=period.code,
            door="web",
        )
    context = {
        "form": form,
        "period": period,
        "tables": tables,
        "whole": whole,
        "hidden": hidden_count(tables),
        "may_enter": scopes.can_enter_protection(request.user),
    }
    return render(request, "web/protection_statistics.html", context)


def _statistics_regions(request: HttpRequest) -> tuple[int, ...]:
    """The regions a user's statistics cover (focal points: theirs; others: all)."""
    own = scopes.protection_region_ids(request.user) or scopes.figure_scope(request.user).regions
    return tuple(own)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Template filled in (XLSX or CSV)"),
        help_text=gettext_lazy("One row per count; every problem is listed, nothing is written."),
    )


@protection_required
def report_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{Path(upload.name).suffix.lower()[:6]}"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                outcome = reports_import(user=request.user, path=path, name=upload.name)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _(
                        "Provider reports: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % vars(outcome),
                )
                return redirect("web:protection-reports")
    return render(request, "web/protection_import.html", {"form": form})


@protection_required
def report_template(request: HttpRequest, fmt: str) -> HttpResponse:
    lang = (get_language() or "fr")[:2]
    name = f"{'modele-vsbg' if lang == 'fr' else 'sgbv-template'}-{lang}"
    if fmt == "csv":
        response = HttpResponse(template_csv(lang), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(lang),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
