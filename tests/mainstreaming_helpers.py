"""Builders for gender mainstreaming tests: reviews, recommendations and project markers
go through the app's services, like every door."""

from datetime import date
from decimal import Decimal
from typing import Any

from musow.accounts.models import User
from musow.activities.models import Organisation, Project
from musow.geo.models import Place
from musow.mainstreaming.models import DocumentKind, Recommendation, Review, Section
from musow.mainstreaming.services import (
    ReviewInput,
    project_marker_set,
    recommendation_add,
    review_save,
)


def reviewer() -> User:
    user, _created = User.objects.get_or_create(
        username="relecteur", defaults={"role": User.Role.OFFICER}
    )
    return user


def review_input(**overrides: Any) -> ReviewInput:
    fields: dict[str, Any] = {
        "kind": DocumentKind.objects.get(code=overrides.pop("kind", "sc-report")),
        "title": "Rapport du Secrétaire général sur la situation au Mali",
        "section": Section.objects.get(code=overrides.pop("section", "political")),
        "reviewed_on": date(2014, 6, 10),
        "marker_code": "2a",
        "justification": "Analyse de genre présente mais sans indicateurs.",
        "answers": {"gender-analysis": "yes", "sex-disaggregated-data": "partly"},
    }
    region = overrides.pop("region", None)
    if region:
        fields["region"] = Place.objects.get(pcode=region)
    organisation = overrides.pop("organisation", None)
    if organisation:
        fields["organisation"] = Organisation.objects.get(code=organisation)
    fields.update(overrides)
    return ReviewInput(**fields)


def make_review(user: User | None = None, **overrides: Any) -> Review:
    return review_save(data=review_input(**overrides), user=user or reviewer())


def make_recommendation(review: Review, **overrides: Any) -> Recommendation:
    fields: dict[str, Any] = {
        "text": "Ajouter des données ventilées par sexe sur les victimes civiles.",
        "section": Section.objects.get(code=overrides.pop("section", "political")),
        "due_date": date(2014, 9, 30),
    }
    fields.update(overrides)
    return recommendation_add(review=review, user=reviewer(), **fields)


def make_project_marker(code: str, marker_code: str, budgets: dict[int, Any], section: str = "cvr"):
    project, _created = Project.objects.get_or_create(
        code=code, defaults={"name_fr": f"Projet {code}", "name_en": f"Project {code}"}
    )
    return project_marker_set(
        project=project,
        user=reviewer(),
        marker_code=marker_code,
        section=Section.objects.get(code=section),
        budgets={year: Decimal(str(amount)) for year, amount in budgets.items()},
    )
