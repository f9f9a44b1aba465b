"""Staff pages of the trainings: the courses, a course (its sessions in the user's sight
and its figures from the engine, within the user's scope), a session's trainees."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from musow.accounts import scopes
from musow.trainings.figures import course_figures
from musow.trainings.models import Course
from musow.web.access import records_required


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
    }
    return render(request, "web/course_detail.html", context)


@records_required
def training_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        scopes.sessions_for(request.user).select_related("course", "activity", "activity__place"),
        activity_id=pk,
    )
    trainees = session.trainees.select_related("attendee").prefetch_related("tests")
    return render(request, "web/training_session.html", {"session": session, "trainees": trainees})
