"""What women's organisations asked for at the Algiers talks, and the 2015 Agreement, in
the demo.

Public: the Agreement for Peace and Reconciliation in Mali resulting from the Algiers
process was signed in Bamako on 15 May 2015 and completed on 20 June 2015 (its title and
dates). Everything else is ILLUSTRATIVE, marked so in the data and said so by `musow
demo`: the submissions, their recommendations and what came of them, the Agreement's
signatories by sex and its checklist of gender provisions (the seed gives none of them;
they are never to be presented as the mission's findings).

Loading again changes nothing (submissions by body, date and title; agreements by body,
date and title; a recommendation's follow-up is written only while it has none).
"""

from datetime import date
from typing import Any

from musow.demo.load import Tally, _organisations
from musow.representation import advocacy_services as advocacy
from musow.representation.models import Agreement, Body, Submission

ILLUSTRATIVE_NOTE = (
    "ILLUSTRATIF — contenu et suivi inventés pour la démonstration, pas ceux de la mission / "
    "ILLUSTRATIVE — content and follow-up invented for the demo, not the mission's"
)
AGREEMENT_TITLE = "Accord pour la paix et la réconciliation au Mali issu du processus d'Alger"
AGREEMENT_NOTE = (
    "Signé à Bamako le 15 mai 2015, parachevé le 20 juin 2015 (public). ILLUSTRATIF : les "
    "signataires par sexe et la liste des dispositions sur le genre sont inventés pour la "
    "démonstration. / Signed in Bamako on 15 May 2015, completed on 20 June 2015 (public). "
    "ILLUSTRATIVE: the signatories by sex and the gender provisions checked are invented "
    "for the demo."
)

# The Agreement (public title and date; ILLUSTRATIVE signatories and provisions).
AGREEMENT: dict[str, Any] = {
    "title": AGREEMENT_TITLE,
    "signed_on": date(2015, 5, 15),
    "signatories_women": 0,
    "signatories_men": 14,
    "provisions": ("womens-participation", "sgbv", "gender-ddr-ssr"),
}

# (date, kind, title, organisations, [(recommendation, [(status, date), …]), …])
SUBMISSIONS: list[tuple[date, str, str, tuple[str, ...], list[tuple[str, list[Any]]]]] = [
    (
        date(2014, 9, 1),
        "memorandum",
        "Mémorandum des organisations de femmes à la médiation (ILLUSTRATIF)",
        ("cafo", "repsfeco-mali"),
        [
            (
                "Au moins 30 % de femmes dans chaque délégation aux pourparlers",
                [("acknowledged", date(2014, 10, 20)), ("not-retained", date(2015, 5, 15))],
            ),
            (
                "Une femme au moins dans l'équipe de médiation",
                [("acknowledged", date(2014, 10, 20))],
            ),
            (
                "Les violences sexuelles liées au conflit traitées dans l'accord",
                [("acknowledged", date(2014, 10, 20)), ("reflected", date(2015, 5, 15))],
            ),
            ("Des femmes dans le comité de suivi de l'accord et ses sous-comités", []),
        ],
    ),
    (
        date(2014, 11, 20),
        "declaration",
        "Déclaration des femmes du Nord sur le DDR et la sécurité (ILLUSTRATIF)",
        ("wildaf-mali", "ajm", "apdf"),
        [
            (
                "La participation des femmes aux commissions DDR et de réforme du secteur "
                "de la sécurité",
                [("reflected", date(2015, 5, 15))],
            ),
            ("Des réparations pour les victimes de violences sexuelles", []),
        ],
    ),
]


def advocacy_load() -> dict[str, Tally]:
    """Create the demo's agreement and submissions, validated, with their follow-up."""
    _organisations()
    body = Body.objects.get(code="alger-mediation")
    return {"agreements": _agreement(body), "submissions": _submissions(body)}


def _agreement(body: Body) -> Tally:
    tally = Tally()
    if Agreement.objects.filter(body=body, title=AGREEMENT_TITLE).exists():
        tally.add("unchanged")
        return tally
    agreement = advocacy.agreement_save(
        data=advocacy.AgreementInput(
            body=body,
            source_document=f"{AGREEMENT_TITLE} (texte public / public text)",
            note=AGREEMENT_NOTE,
            is_illustrative=True,
            **AGREEMENT,
        )
    )
    advocacy.agreement_submit(agreement=agreement)
    advocacy.agreement_validate(agreement=agreement)
    tally.add("created")
    return tally


def _submissions(body: Body) -> Tally:
    tally = Tally()
    agreement = Agreement.objects.get(body=body, title=AGREEMENT_TITLE)
    for day, kind, title, organisations, recommendations in SUBMISSIONS:
        submission = Submission.objects.filter(body=body, submitted_on=day, title=title).first()
        if submission is None:
            submission = advocacy.submission_save(
                data=advocacy.SubmissionInput(
                    kind=kind,
                    title=title,
                    submitted_on=day,
                    organisations=organisations,
                    recommendations=tuple(text for text, _steps in recommendations),
                    source_document="ILLUSTRATIF / ILLUSTRATIVE",
                    body=body,
                    note=ILLUSTRATIVE_NOTE,
                    is_illustrative=True,
                )
            )
            advocacy.submission_submit(submission=submission)
            advocacy.submission_validate(submission=submission)
            tally.add("created")
        else:
            tally.add("unchanged")
        stored = submission.recommendations.order_by("order")
        for recommendation, (_text, steps) in zip(stored, recommendations, strict=True):
            if recommendation.steps.exists():
                continue
            for status, on in steps:
                reflected = status == "reflected"
                advocacy.recommendation_follow(
                    recommendation=recommendation,
                    data=advocacy.FollowUpInput(
                        status=status,
                        on=on,
                        agreement=agreement if reflected else None,
                        note="ILLUSTRATIF / ILLUSTRATIVE",
                    ),
                )
                recommendation.refresh_from_db()
    return tally
