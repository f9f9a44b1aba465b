"""Pages of gender mainstreaming: the reviews list with the overdue recommendations
first (the officer's to-do), a review's page with its recommendations and their
follow-up, entry and change of a review, projects' markers and budgets.

Each view: access check (accounts.scopes) → form → service → redirect. Reviews out of
the user's scope answer 404; pages a role may not use, 403."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.activities.models import Project
from musow.audit.models import Entry
from musow.mainstreaming import services
from musow.mainstreaming.forms import (
    FollowUpForm,
    ProjectMarkerForm,
    RecommendationForm,
    ReviewForm,
    errors_to_form,
)
from musow.mainstreaming.models import ProjectMarker, Recommendation, Review

View = Callable[..., HttpResponse]


def _requires(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


readers = _requires(scopes.sees_records)  # viewers: aggregates only
reviewers = _requires(scopes.may_review)


def _review_or_404(request: HttpRequest, pk: int) -> Review:
    qs = scopes.reviews_for(request.user).select_related(
        "kind", "section", "region", "organisation", "project", "reviewer"
    )
    return get_object_or_404(qs.defer("region__boundary"), pk=pk)


def _open(qs: Any) -> Any:
    return qs.filter(status__in=[Recommendation.Status.OPEN, Recommendation.Status.ACCEPTED])


@readers
def review_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = scopes.reviews_for(request.user)
    recommendations = Recommendation.objects.filter(review__in=reviews).select_related(
        "review", "section"
    )
    overdue = _open(recommendations).filter(due_date__lt=today).order_by("due_date", "pk")
    listed = (
        reviews.select_related("kind", "section", "region")
        .defer("region__boundary")
        .annotate(
            open_count=Count(
                "recommendations", filter=Q(recommendations__status__in=["open", "accepted"])
            ),
            overdue_count=Count(
                "recommendations",
                filter=Q(
                    recommendations__status__in=["open", "accepted"],
                    recommendations__due_date__lt=today,
                ),
            ),
        )
        .order_by("-overdue_count", "-reviewed_on", "-pk")[:500]
    )
    context = {
        "overdue": [(r, (today - r.due_date).days) for r in overdue[:200]],
        "reviews": listed,
        "may_review": scopes.may_review(request.user),
    }
    return render(request, "mainstreaming/review_list.html", context)


@readers
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    today = timezone.localdate()
    recommendations = review.recommendations.select_related("section").order_by("due_date", "pk")
    context = {
        "review": review,
        "answers": review.answers.select_related("item").order_by("item__order", "item__code"),
        "recommendations": [
            (r, r.is_overdue(today), FollowUpForm(auto_id=f"r{r.pk}-%s", current=r.status))
            for r in recommendations
        ],
        "recommendation_form": RecommendationForm(),
        "entries": Entry.objects.for_target(review).select_related("actor"),
        "may_review": scopes.may_review(request.user),
    }
    return render(request, "mainstreaming/review_detail.html", context)


def _review_form_page(request: HttpRequest, review: Review | None) -> HttpResponse:
    initial = ReviewForm.initial_for(review) if review else {"reviewed_on": timezone.localdate()}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.review_save(data=form.to_input(), user=request.user, review=review)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("mainstreaming:review", saved.pk)
    return render(request, "mainstreaming/review_form.html", {"form": form, "review": review})


@reviewers
def review_new(request: HttpRequest) -> HttpResponse:
    return _review_form_page(request, None)


@reviewers
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_form_page(request, _review_or_404(request, pk))


@reviewers
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_add(review=review, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The recommendation is added."))
            return redirect("mainstreaming:review", review.pk)
    return _refused(request, review, form)


@reviewers
@require_POST
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        Recommendation.objects.filter(review__in=scopes.reviews_for(request.user)), pk=pk
    )
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_follow_up(
                recommendation=recommendation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("mainstreaming:review", recommendation.review_id)
    return _refused(request, recommendation.review, form)


def _refused(request: HttpRequest, review: Review, form: Any) -> HttpResponse:
    """The form of a review's page that was refused, with its messages, on its own page."""
    context = {"review": review, "form": form}
    return render(request, "mainstreaming/refused.html", context)


@reviewers
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.select_related(
        "gender_marker", "gender_marker__section"
    ).prefetch_related("gender_marker__budgets")
    return render(request, "mainstreaming/project_list.html", {"projects": projects})


@reviewers
def project_marker(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(Project, code=code)
    current = ProjectMarker.objects.filter(project=project).first()
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "marker_code": current.marker_code,
            "section": current.section,
            "justification": current.justification,
            "budgets": "\n".join(f"{b.year}: {b.amount}" for b in current.budgets.all()),
        }
    form = ProjectMarkerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_marker_set(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The project's marker and budget are recorded."))
            return redirect("mainstreaming:projects")
    context = {"form": form, "project": project}
    return render(request, "mainstreaming/project_form.html", context)
