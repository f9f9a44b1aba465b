"""Demo gender reviews: five ILLUSTRATIVE reviews of 2014 mission documents with their
recommendations and follow-up, and illustrative markers and budgets for projects. The
seed gives no review: these are invented to try the pages and the figures, and each says
so in its title and justification. Loaded by `musow demo` after the demo accounts (the
reviewer is the demo gender officer, "agent"); loading them again changes nothing."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from musow.accounts.models import User
from musow.activities.models import Organisation, Project
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.mainstreaming.models import DocumentKind, ProjectMarker, Review, Section
from musow.mainstreaming.services import (
    ReviewInput,
    project_marker_set,
    recommendation_accept,
    recommendation_add,
    recommendation_decline,
    recommendation_implement,
    review_save,
)

ILLUSTRATIVE = " (illustratif / illustrative)"
NOTE = "Exemple illustratif de démonstration — illustrative demo example. "
REVIEWER = "agent"


@dataclass(frozen=True)
class DemoRecommendation:
    text: str
    section: str
    due: str
    accepted: str = ""
    implemented: str = ""
    declined: str = ""
    comment: str = ""


@dataclass(frozen=True)
class DemoReview:
    title: str
    kind: str
    section: str
    reviewed_on: str
    marker_code: str
    justification: str
    answers: dict[str, str]
    region: str = ""
    organisation: str = ""
    project: str = ""
    recommendations: list[DemoRecommendation] = field(default_factory=list)


REVIEWS = [
    DemoReview(
        "Rapport du Secrétaire général sur la situation au Mali (septembre 2014)",
        "sc-report",
        "political",
        "2014-09-05",
        "2a",
        "Analyse de genre présente dans les sections protection et processus de paix; "
        "données ventilées par sexe partielles.",
        {
            "sex-disaggregated-data": "partly",
            "gender-analysis": "yes",
            "women-consulted": "partly",
            "gender-objectives": "no",
            "gender-budget": "na",
        },
        recommendations=[
            DemoRecommendation(
                "Ventiler par sexe les victimes civiles signalées dans la section protection.",
                "human-rights",
                "2014-12-15",
                accepted="2014-09-20",
                implemented="2014-12-10",
                comment="Repris dans le rapport de décembre.",
            ),
            DemoRecommendation(
                "Rendre compte de la participation des femmes aux pourparlers d'Alger.",
                "political",
                "2015-03-31",
                accepted="2014-10-01",
            ),
        ],
    ),
    DemoReview(
        "Rapport du Secrétaire général sur la situation au Mali (juin 2014)",
        "sc-report",
        "political",
        "2014-06-02",
        "1",
        "Les femmes sont mentionnées sans analyse de genre des dynamiques du conflit.",
        {"sex-disaggregated-data": "no", "gender-analysis": "no", "women-consulted": "no"},
        recommendations=[
            DemoRecommendation(
                "Ajouter une analyse de genre des dynamiques du conflit dans le nord.",
                "political",
                "2014-08-31",
            ),
        ],
    ),
    DemoReview(
        "Stratégie de protection des civils de la Mission",
        "strategy",
        "human-rights",
        "2014-04-14",
        "2b",
        "Objectifs spécifiques sur les violences sexuelles liées au conflit; pas de budget dédié.",
        {
            "sex-disaggregated-data": "yes",
            "gender-analysis": "yes",
            "women-consulted": "partly",
            "gender-objectives": "yes",
            "gender-budget": "no",
        },
        recommendations=[
            DemoRecommendation(
                "Prévoir un budget pour les patrouilles mixtes et les assistantes de "
                "protection des femmes.",
                "mission-support",
                "2014-10-31",
            ),
            DemoRecommendation(
                "Consulter les associations de femmes de Gao et Tombouctou avant la revue "
                "annuelle.",
                "civil-affairs",
                "2015-01-31",
                accepted="2014-05-05",
            ),
        ],
    ),
    DemoReview(
        "Proposition de projet de réduction de la violence communautaire à Gao",
        "budget-proposal",
        "cvr",
        "2014-07-21",
        "3",
        "Projet conçu pour l'autonomisation économique des femmes et leur participation "
        "aux comités locaux de paix.",
        {
            "sex-disaggregated-data": "yes",
            "gender-analysis": "yes",
            "women-consulted": "yes",
            "gender-objectives": "yes",
            "gender-budget": "yes",
        },
        region="ML07",
        project="rvc-gao-femmes",
        recommendations=[
            DemoRecommendation(
                "Fixer une cible d'au moins 50 % de femmes parmi les bénéficiaires.",
                "cvr",
                "2014-09-30",
                accepted="2014-08-01",
                implemented="2014-09-15",
            ),
        ],
    ),
    DemoReview(
        "Campagne radio d'information publique sur le processus de paix",
        "public-information",
        "public-information",
        "2014-10-08",
        "0",
        "Aucune voix de femme ni message sur la participation des femmes.",
        {"sex-disaggregated-data": "na", "gender-analysis": "no", "women-consulted": "no"},
        organisation="wildaf-mali",
        recommendations=[
            DemoRecommendation(
                "Donner la parole à des femmes leaders dans la moitié des émissions.",
                "public-information",
                "2014-11-30",
                declined="2014-10-20",
                comment="Programme déjà enregistré; à reprendre pour la prochaine campagne.",
            ),
        ],
    ),
]

# Projects with an illustrative marker code and budget by year (USD).
PROJECTS: list[dict[str, Any]] = [
    {
        "code": "acces-justice-vsbg",
        "marker_code": "3",
        "section": "gender",
        "budgets": {2014: "1200000", 2015: "1500000"},
    },
    {
        "code": "rvc-gao-femmes",
        "name_fr": "Réduction de la violence communautaire : femmes de Gao" + ILLUSTRATIVE,
        "name_en": "Community violence reduction: women of Gao" + ILLUSTRATIVE,
        "marker_code": "3",
        "section": "cvr",
        "budgets": {2014: "450000"},
    },
    {
        "code": "qip-eclairage-tombouctou",
        "name_fr": "Projet à impact rapide : éclairage public à Tombouctou" + ILLUSTRATIVE,
        "name_en": "Quick-impact project: street lighting in Timbuktu" + ILLUSTRATIVE,
        "marker_code": "1",
        "section": "civil-affairs",
        "budgets": {2014: "50000"},
    },
    {
        "code": "rss-formation-fdsm",
        "name_fr": "Appui à la réforme du secteur de la sécurité" + ILLUSTRATIVE,
        "name_en": "Support to security sector reform" + ILLUSTRATIVE,
        "marker_code": "2a",
        "section": "ssr-ddr",
        "budgets": {2014: "800000", 2015: "650000"},
    },
]


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@transaction.atomic
def mainstreaming_demo_load() -> dict[str, str]:
    """Load the illustrative reviews and project markers; {what: created / unchanged}."""
    outcomes: dict[str, str] = {}
    user = User.objects.get(username=REVIEWER)
    for spec in PROJECTS:
        if "name_fr" in spec or Project.objects.filter(code=spec["code"]).exists():
            outcomes[f"project {spec['code']}"] = _project(spec, user)
    for review in REVIEWS:
        outcomes[review.title] = _review(review, user)
    return outcomes


def _project(spec: dict[str, Any], user: User) -> str:
    project = Project.objects.filter(code=spec["code"]).first()
    if project is None:
        project = Project.objects.create(
            code=spec["code"], name_fr=spec["name_fr"], name_en=spec["name_en"]
        )
    current = ProjectMarker.objects.filter(project=project).first()
    budgets = {year: Decimal(amount) for year, amount in spec["budgets"].items()}
    if current is not None and (
        current.marker_code,
        current.section.code,
        {b.year: b.amount for b in current.budgets.all()},
    ) == (spec["marker_code"], spec["section"], budgets):
        return "unchanged"
    project_marker_set(
        project=project,
        user=user,
        marker_code=spec["marker_code"],
        section=Section.objects.get(code=spec["section"]),
        budgets=budgets,
        justification=NOTE.strip(),
    )
    return "created" if current is None else "updated"


def _review(spec: DemoReview, user: User) -> str:
    title = spec.title + ILLUSTRATIVE
    if Review.objects.filter(title=title).exists():
        return "unchanged"
    review = review_save(
        data=ReviewInput(
            kind=DocumentKind.objects.get(code=spec.kind),
            title=title,
            section=Section.objects.get(code=spec.section),
            reviewed_on=_date(spec.reviewed_on),
            marker_code=spec.marker_code,
            justification=NOTE + spec.justification,
            region=Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=spec.region)
            if spec.region
            else None,
            organisation=Organisation.objects.filter(code=spec.organisation).first()
            if spec.organisation
            else None,
            project=Project.objects.filter(code=spec.project).first() if spec.project else None,
            answers=spec.answers,
        ),
        user=user,
    )
    for rec in spec.recommendations:
        recommendation = recommendation_add(
            review=review,
            user=user,
            text=rec.text,
            section=Section.objects.get(code=rec.section),
            due_date=_date(rec.due),
        )
        if rec.accepted:
            recommendation_accept(recommendation=recommendation, user=user, on=_date(rec.accepted))
        if rec.implemented:
            recommendation_implement(
                recommendation=recommendation,
                user=user,
                on=_date(rec.implemented),
                comment=rec.comment,
            )
        if rec.declined:
            recommendation_decline(
                recommendation=recommendation,
                user=user,
                on=_date(rec.declined),
                comment=rec.comment,
            )
    return "created"


def mainstreaming_demo_remove() -> None:
    """Remove what the demo loaded (tests that load the demo then clean up)."""
    Review.objects.filter(title__endswith=ILLUSTRATIVE).delete()
    codes = [p["code"] for p in PROJECTS]
    ProjectMarker.objects.filter(project__code__in=codes).delete()
    Project.objects.filter(code__in=codes, name_fr__endswith=ILLUSTRATIVE).delete()
