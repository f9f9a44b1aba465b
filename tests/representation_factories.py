"""Bodies and compositions for the tests of women at the table."""

from datetime import date
from typing import Any

from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.representation import services
from musow.representation.models import Body, Composition, Sitting
from musow.representation.services import CompositionInput, Count, SittingInput


def region(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def make_body(
    code: str, *, kind: str = "follow-up-committee", place: str | None = None, **values: Any
) -> Body:
    values.setdefault("name_fr", f"Instance {code}")
    values.setdefault("name_en", f"Body {code}")
    values.setdefault("level", "region" if place else "national")
    services.body_sync(
        code=code,
        values={"kind": kind, "place": region(place) if place else None, **values},
    )
    return Body.objects.get(code=code)


def counts(**cells: int) -> tuple[Count, ...]:
    """counts(member_f=3, member_m=9) -> Count("member", "f", 3), Count("member", "m", 9)."""
    out = []
    for key, n in cells.items():
        role, sex = key.rsplit("_", 1)
        out.append(Count(role.replace("_", "-"), sex, n))
    return tuple(out)


def make_composition(
    body: Body,
    as_of: str,
    *,
    status: str = "validated",
    user: Any = None,
    declared_total: int | None = None,
    **cells: int,
) -> Composition:
    data = CompositionInput(
        body=body,
        as_of=date.fromisoformat(as_of),
        counts=counts(**cells),
        source_document="Communiqué",
        declared_total=declared_total,
    )
    composition = services.composition_save(data=data, user=user)
    if status in ("submitted", "validated"):
        services.composition_submit(composition=composition, user=user)
    if status == "validated":
        services.composition_validate(composition=composition)
    return composition


def make_sitting(
    body: Body, held_on: str, *, status: str = "validated", user: Any = None, **cells: int
) -> Sitting:
    data = SittingInput(
        body=body,
        held_on=date.fromisoformat(held_on),
        counts=counts(**cells),
        source_document="Procès-verbal",
    )
    sitting = services.sitting_save(data=data, user=user)
    if status in ("submitted", "validated"):
        services.sitting_submit(sitting=sitting, user=user)
    if status == "validated":
        services.sitting_validate(sitting=sitting)
    return sitting


def make_organisation(code: str, *, place: str = "ML09") -> Any:
    from musow.activities.models import Organisation

    org, _created = Organisation.objects.get_or_create(
        code=code,
        defaults={"name": f"Organisation {code}", "kind": "womens_org", "place": region(place)},
    )
    return org


def make_submission(
    body: Body | None,
    submitted_on: str,
    *,
    recommendations: tuple[str, ...] = ("Un quota de 30 %", "Des femmes médiatrices"),
    organisations: tuple[str, ...] = ("cafo",),
    status: str = "validated",
    user: Any = None,
    process: Any = None,
) -> Any:
    from musow.representation import advocacy_services as advocacy

    for code in organisations:
        make_organisation(code)
    data = advocacy.SubmissionInput(
        kind="memorandum",
        title="Mémorandum des femmes",
        submitted_on=date.fromisoformat(submitted_on),
        organisations=organisations,
        recommendations=recommendations,
        source_document="Mémorandum",
        body=body,
        process=process,
    )
    submission = advocacy.submission_save(data=data, user=user)
    if status in ("submitted", "validated"):
        advocacy.submission_submit(submission=submission, user=user)
    if status == "validated":
        advocacy.submission_validate(submission=submission)
    return submission


def follow(recommendation: Any, status: str, on: str, **values: Any) -> Any:
    from musow.representation import advocacy_services as advocacy

    if status == "reflected" and "agreement" not in values:
        values.setdefault("reflected_in", "Accord")
    data = advocacy.FollowUpInput(status=status, on=date.fromisoformat(on), **values)
    return advocacy.recommendation_follow(recommendation=recommendation, data=data)


def make_agreement(
    body: Body | None,
    signed_on: str,
    *,
    provisions: tuple[str, ...] = (),
    women: int | None = None,
    men: int | None = None,
    status: str = "validated",
    user: Any = None,
    process: Any = None,
) -> Any:
    from musow.representation import advocacy_services as advocacy

    data = advocacy.AgreementInput(
        title="Accord",
        signed_on=date.fromisoformat(signed_on),
        source_document="Texte de l'accord",
        body=body,
        process=process,
        signatories_women=women,
        signatories_men=men,
        provisions=provisions,
    )
    agreement = advocacy.agreement_save(data=data, user=user)
    if status in ("submitted", "validated"):
        advocacy.agreement_submit(agreement=agreement, user=user)
    if status == "validated":
        advocacy.agreement_validate(agreement=agreement)
    return agreement
