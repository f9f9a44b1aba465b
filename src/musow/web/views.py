"""Public pages: the unit's page regenerated from data ("L'Unité Genre en chiffres")."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from musow.accounts import scopes
from musow.activities.models import Objective
from musow.indicators.engine import compute
from musow.indicators.periods import Period
from musow.indicators.text import format_value
from musow.web import figures as data
from musow.web.summaries import Group, summary


def home(request: HttpRequest) -> HttpResponse:
    """The public figures for visitors; the dashboard (or the activity list) once signed in."""
    if not request.user.is_authenticated:
        return redirect("web:figures")
    try:
        return redirect("web:dashboard")
    except NoReverseMatch:
        return redirect("web:activities" if scopes.sees_records(request.user) else "web:figures")


def figures(request: HttpRequest, year: int | None = None) -> HttpResponse:
    if year is None:
        year = data.latest_year() or timezone.localdate().year
    groups = data.groups(data.check_year(year))
    context = {
        "year": str(year),
        "years": [
            str(y) for y in sorted({*data.years(), *data.participation_years()}, reverse=True)
        ],
        "objectives": Objective.objects.filter(is_active=True).order_by("order", "code"),
        "groups": [(summary(g), _group_url(year, g)) for g in groups],
        "figures": data.figures(data.public_headline(Period.year(year))) if groups else [],
        "participation": data.participation(Period.year(year)),
    }
    return render(request, "web/figures.html", context)


def figure_activities(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A published figure: its value, its definition and — where the unit published the list,
    to whoever may see lists — the activities behind it but those on sensitive themes."""
    indicator = get_object_or_404(data.public_indicators(), code=code)
    result = compute(indicator, Period.year(data.check_year(year)))
    context: dict[str, Any] = {
        "year": str(year),
        "indicator": indicator,
        "value": format_value(result, result.total),
        "page": None,
        "withheld": 0,
        "aggregates_only": not scopes.sees_public_lists(request.user),
        "breakdowns": data.breakdowns(result),
        "adds_up": data.adds_up(indicator),
    }
    context["sources"] = data.sources(indicator, result.period)  # women at the table
    context["staff_link"] = context["sources"] is not None and scopes.sees_records(request.user)
    if indicator.lists_public and not context["aggregates_only"] and context["sources"] is None:
        behind = result.activities()
        page = data.activity_page(scopes.publicly_listable(behind), request.GET.get("page"))
        context["page"] = page
        context["listed"], context["listed_total"] = data.with_contributions(page, result)
        context["withheld"] = behind.count() - page.paginator.count
    return render(request, "web/figure_activities.html", context)


def group_activities(request: HttpRequest, year: int, kind: str, code: str) -> HttpResponse:
    """A group of the year's activities: its sentence, and those of its activities that a
    published list shows (never those on sensitive themes; none to a viewer)."""
    subject = data.group_subject(kind, code)
    activities = data.validated(data.check_year(year)).filter(data.group_filter(kind, code))
    group = next((g for g in data.groups(year) if (g.kind, g.subject.code) == (kind, code)), None)
    aggregates_only = not scopes.sees_public_lists(request.user)
    listed = scopes.publicly_listable(activities.filter(data.published_lists(year)))
    page = None if aggregates_only else data.activity_page(listed, request.GET.get("page"))
    context = {
        "year": str(year),
        "subject": subject,
        "summary": summary(group) if group else None,
        "count": group.count if group else 0,
        "aggregates_only": aggregates_only,
        "page": page,
    }
    if page is not None:
        context["listed"], context["listed_total"] = data.with_contributions(page, None)
    return render(request, "web/group_activities.html", context)


def _group_url(year: int, group: Group) -> str:
    return reverse("web:group-activities", args=[year, group.kind, group.subject.code])
