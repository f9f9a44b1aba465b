"""The report page: choose a period, a scope and a format; see the report or download it;
issue it (unit admin and gender officers)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from musow.accounts import scopes
from musow.reports import renderers
from musow.reports.forms import ReportForm, ReportTextForm
from musow.reports.services import (
    default_period,
    default_scope,
    issue_summary,
    report_build,
    report_issue,
    report_render,
    report_text_for,
    report_text_save,
)
from musow.reports.types import ReportError


def _blank_form(request: HttpRequest) -> ReportForm:
    initial = {
        "period": default_period(request.user),
        "scope": default_scope(request.user).code,
        "format": "html",
        "lang": (translation.get_language() or "fr")[:2],
    }
    return ReportForm(initial=initial, user=request.user)


def _unavailable(request: HttpRequest, form: ReportForm, exc: ReportError) -> HttpResponse:
    """The report cannot be built on this database (a missing indicator): say why, in the
    user's language; the form stays as it was."""
    form.add_error(None, str(exc))
    return render(request, "reports/page.html", {"form": form}, status=503)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_page(request: HttpRequest) -> HttpResponse:
    if "period" not in request.GET:
        return render(request, "reports/page.html", {"form": _blank_form(request)})
    form = ReportForm(request.GET, user=request.user)
    if not form.is_valid() or form.request_data is None:
        return render(request, "reports/page.html", {"form": form}, status=400)
    wanted = form.request_data
    try:
        report = report_build(wanted, user=request.user)
    except ReportError as exc:  # an indicator it is built on is missing (`musow check`)
        return _unavailable(request, form, exc)
    if wanted.fmt == "html" and "download" not in request.GET:
        can_issue = scopes.can_validate(request.user)
        context = {"form": form, **renderers.context(report), "can_issue": can_issue}
        if can_issue:
            context["text_form"] = _text_form(request, report)
        return render(request, "reports/page.html", context)
    response = HttpResponse(
        report_render(report, wanted.fmt), content_type=renderers.CONTENT_TYPES[wanted.fmt]
    )
    name = renderers.filename(report, wanted.fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _text_form(request: HttpRequest, report: Any) -> ReportTextForm:
    stored = report_text_for(report.period, report.scope)
    initial = {
        "period": report.period.code,
        "scope": report.scope.code,
        "lang": report.lang,
        **(stored.texts() if stored is not None else {}),
    }
    return ReportTextForm(initial=initial, user=request.user)


@login_required
@require_POST
def report_text_view(request: HttpRequest) -> HttpResponse:
    """Keep the unit's own words for the report (officers and the unit admin)."""
    if not scopes.can_validate(request.user):
        raise PermissionDenied
    form = ReportTextForm(request.POST, user=request.user)
    if not form.is_valid() or form.request_data is None:
        return render(request, "reports/page.html", {"form": form, "text_form": form}, status=400)
    wanted = form.request_data
    report_text_save(
        period=wanted.period, scope=wanted.scope, texts=form.cleaned_data, user=request.user
    )
    messages.success(request, _("The unit's text is saved; it goes into the next issue."))
    query = {"period": wanted.period.code, "scope": wanted.scope.code, "lang": wanted.lang}
    return redirect(
        f"{reverse('reports:report')}?{urlencode({**query, 'format': 'html'})}#unit-text"
    )


@login_required
@require_POST
def report_issue_view(request: HttpRequest) -> HttpResponse:
    if not scopes.can_validate(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST, user=request.user)
    if not form.is_valid() or form.request_data is None:
        return render(request, "reports/page.html", {"form": form}, status=400)
    wanted = form.request_data
    try:
        report = report_build(wanted, user=request.user)
    except ReportError as exc:
        return _unavailable(request, form, exc)
    try:
        outcome = report_issue(report=report, user=request.user)
    except ReportError as exc:  # an empty report
        form.add_error(None, str(exc))
        return render(request, "reports/page.html", {"form": form}, status=400)
    for line in issue_summary(outcome):
        messages.info(request, line)
    query = {"period": wanted.period.code, "scope": wanted.scope.code, "lang": wanted.lang}
    return redirect(f"{reverse('reports:report')}?{urlencode({**query, 'format': 'html'})}")
