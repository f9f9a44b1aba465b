"""Staff pages of the trainings: the courses, a course (its sessions in the user's sight
and its figures from the engine, within the user's scope), a session's trainees."""

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from musow.accounts import scopes
from musow.intake.report import report_summary, sheet_heading
from musow.lib.i18n import current_lang
from musow.trainings.figures import course_figures
from musow.trainings.models import Course
from musow.trainings.scoresheet import scores_import, write_csv, write_xlsx
from musow.trainings.xlsform import write_course_xlsform
from musow.web.access import records_required

MAX_UPLOAD = 20 * 1024 * 1024  # a session's sheet or test export is small
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@records_required
def course_list(request: HttpRequest) -> HttpResponse:
    sessions = scopes.sessions_for(request.user)
    courses = Course.objects.annotate(
        sessions_seen=Count("sessions", filter=Q(sessions__in=sessions), distinct=True)
    )
    return render(request, "web/course_list.html", {"courses": courses})


@records_required
def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    course = get_object_or_404(Course, code=code)
    sessions = (
        scopes.sessions_for(request.user)
        .filter(course=course)
        .select_related("activity", "activity__place")
        .annotate(trainee_count=Count("trainees"))
        .order_by("-activity__start_date")
    )
    years = sorted({str(s.activity.start_date.year) for s in sessions}, reverse=True)
    year = request.GET.get("year", "")
    year = year if year in years else (years[0] if years else "")
    context = {
        "course": course,
        "sessions": sessions,
        "years": years,
        "year": year,
        "figures": course_figures(course, year, scopes.figure_scope(request.user))
        if year
        else None,
        "questions": course.questions.count(),
        "may_record": scopes.may_record_training(request.user),
    }
    return render(request, "web/course_detail.html", context)


@records_required
def training_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        scopes.sessions_for(request.user).select_related("course", "activity", "activity__place"),
        activity_id=pk,
    )
    trainees = session.trainees.select_related("attendee").prefetch_related("tests")
    context = {
        "session": session,
        "trainees": trainees,
        "may_record": scopes.may_record_training(request.user),
    }
    return render(request, "web/training_session.html", context)


class ScoresForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX, CSV or ODK Central .csv.zip)"),
        help_text=_(
            "The session's score sheet, or a KoboToolbox / ODK Central export of the "
            "course's test (its XLSForm above): answers are scored against the course's key."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): report, write nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


@records_required
@require_http_methods(["GET", "POST"])
def training_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a session's score sheet or a Kobo/ODK export of its course's test (all or
    nothing, with a dry-run box), and read the report in the page."""
    session = get_object_or_404(
        scopes.sessions_for(request.user).select_related("course", "activity"), activity_id=pk
    )
    if not scopes.may_record_training(request.user):
        raise PermissionDenied
    form = ScoresForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:6]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = scores_import(
                path=path,
                session=session,
                name=Path(upload.name).name,
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
    context = {
        "session": session,
        "form": form,
        "report": report,
        "summary": report_summary(report) if report else "",
        "sheets": [(s, sheet_heading(s)) for s in report.sheets()] if report else [],
    }
    return render(request, "web/training_scores.html", context)


@login_required
@require_GET
def score_sheet_template(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if not scopes.may_record_training(request.user):
        raise PermissionDenied
    lang = current_lang()
    name = f"{'feuille-scores' if lang == 'fr' else 'score-sheet'}-{lang}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")
        write_csv(response, lang=lang)  # type: ignore[arg-type]
        return response
    if fmt != "xlsx":
        raise Http404
    handle = tempfile.TemporaryFile()
    write_xlsx(handle, lang=lang)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)


@login_required
@require_GET
def course_xlsform(request: HttpRequest, code: str) -> HttpResponseBase:
    """The course's pre/post test for KoboCollect / ODK Collect (French and English)."""
    if not scopes.may_record_training(request.user):
        raise PermissionDenied
    course = get_object_or_404(Course, code=code)
    handle = tempfile.TemporaryFile()
    write_course_xlsform(handle, course=course, langs=["fr", "en"])
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"musow-{course.code}.xlsx", content_type=XLSX
    )
