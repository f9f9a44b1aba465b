from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:figures")


def figures(request: HttpRequest, year: int | None = None) -> HttpResponse:
    return HttpResponse("figures")


def figure_activities(request: HttpRequest, year: int, code: str) -> HttpResponse:
    return HttpResponse("activities")
