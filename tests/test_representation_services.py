"""Women at the table: compositions and sittings are written whole or not at all, each bad
input refused with one message naming its field, in the user's language."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.demo.users import demo_users_ensure
from musow.representation import services
from musow.representation.models import Composition, Seat, Sitting
from musow.representation.services import CompositionInput, Count, SittingInput
from tests.representation_factories import make_body, make_composition

pytestmark = pytest.mark.django_db


def _input(body, **changes):
    values = {
        "body": body,
        "as_of": date(2015, 6, 20),
        "counts": (Count("member", "f", 3), Count("member", "m", 9)),
        "source_document": "Liste des membres du comité",
        "declared_total": 12,
    }
    return CompositionInput(**{**values, **changes})


def _refused(data, user=None, lang="fr"):
    before = (Composition.objects.count(), Seat.objects.count(), Entry.objects.count())
    with translation.override(lang), pytest.raises(ValidationError) as error:
        services.composition_save(data=data, user=user)
    after = (Composition.objects.count(), Seat.objects.count(), Entry.objects.count())
    assert after == before, "nothing is written"
    return error.value.message_dict


def test_it_records_a_composition_and_its_trail():
    body = make_body("csa", valid_from=date(2015, 6, 20))
    composition = services.composition_save(data=_input(body))
    assert composition.status == "draft" and composition.version == 1
    assert sorted(composition.seats.values_list("role__code", "sex", "count")) == [
        ("member", "f", 3),
        ("member", "m", 9),
    ]
    services.composition_submit(composition=composition)
    services.composition_validate(composition=composition)
    actions = list(Entry.objects.for_target(composition).values_list("action", flat=True))
    assert sorted(actions) == ["create", "submit", "validate"]


def test_it_refuses_counts_that_do_not_add_up_to_the_declared_total():
    problems = _refused(_input(make_body("csa"), declared_total=13))
    assert problems == {
        "declared_total": [
            "Les nombres par rôle et par sexe font 12, et non le total déclaré de 13."
        ]
    }


def test_it_refuses_a_negative_count_in_english_too():
    problems = _refused(
        _input(make_body("csa"), counts=(Count("member", "f", -2),), declared_total=None), lang="en"
    )
    assert problems == {"counts": ["The number of women in the role “Member” cannot be negative."]}


def test_it_refuses_a_date_outside_the_bodys_existence():
    body = make_body("csa", valid_from=date(2015, 6, 20), valid_to=date(2019, 12, 31))
    problems = _refused(_input(body, as_of=date(2014, 7, 16)))
    assert list(problems) == ["as_of"]
    assert "2015-06-20" in problems["as_of"][0] and "2014-07-16" in problems["as_of"][0]


def test_it_refuses_an_unknown_role():
    problems = _refused(_input(make_body("csa"), counts=(Count("queen", "f", 12),)))
    assert list(problems) == ["counts"]
    assert problems["counts"][0].startswith("Rôle « queen » inconnu.")


def test_it_says_every_problem_at_once_one_message_each():
    data = _input(
        make_body("csa"),
        counts=(Count("member", "f", -1), Count("queen", "m", 2)),
        source_document=" ",
        declared_total=40,
    )
    problems = _refused(data)
    assert set(problems) == {"counts", "source_document", "declared_total"}
    assert len(problems["counts"]) == 2


def test_a_focal_point_may_not_write_for_a_body_of_another_region():
    demo_users_ensure()
    gao = User.objects.get(username="gao")
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    problems = _refused(_input(bamako), user=gao)
    assert list(problems) == ["body"]
    in_gao = make_body("conseil-gao", kind="regional-council", place="ML07")
    assert services.composition_save(data=_input(in_gao), user=gao).created_by == gao


def test_an_edit_made_from_an_old_version_is_refused():
    body = make_body("csa")
    composition = services.composition_save(data=_input(body))
    services.composition_save(
        data=_input(body, declared_total=None), composition=composition, expected_version=1
    )
    with pytest.raises(ValidationError) as error:
        services.composition_save(data=_input(body), composition=composition, expected_version=1)
    assert error.value.code == "stale"
    assert Composition.objects.get().version == 2


def test_only_a_submitted_composition_is_validated_and_a_return_needs_a_reason():
    composition = make_composition(make_body("csa"), "2015-06-20", status="draft", member_f=1)
    with pytest.raises(ValidationError):
        services.composition_validate(composition=composition)
    services.composition_submit(composition=composition)
    with pytest.raises(ValidationError):
        services.composition_return(composition=composition, comment=" ")
    services.composition_return(composition=composition, comment="Source manquante")
    assert Composition.objects.get().status == "draft"


def test_it_refuses_a_sitting_before_its_process_starts():
    services.process_sync(
        code="alger",
        values={"name_fr": "Alger", "name_en": "Algiers", "start_date": date(2014, 7, 16)},
    )
    from musow.representation.models import Process

    body = make_body("gouv-alger", kind="delegation", process=Process.objects.get(code="alger"))
    data = SittingInput(
        body=body,
        held_on=date(2014, 7, 1),
        counts=(Count("negotiator", "f", 1),),
        source_document="Communiqué",
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.sitting_save(data=data)
    assert list(error.value.message_dict) == ["held_on"]
    assert "starts on 2014-07-16" in error.value.message_dict["held_on"][0]
    assert not Sitting.objects.exists()


def _run(*args: str) -> tuple[str, str]:
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command("composition", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_line_records_a_composition_through_the_same_checks():
    from django.core.management.base import CommandError

    make_body("csa", valid_from=date(2015, 6, 20))
    base = ["--body", "csa", "--source", "Liste officielle", "--lang", "en"]
    with pytest.raises(CommandError) as refused:
        _run(*base, "--date", "2014-01-01", "--count", "member:f:-1", "--count", "queen:m:2")
    assert "Nothing was written" in str(refused.value)
    assert not Composition.objects.exists()
    out, _err = _run(
        *base,
        "--date",
        "2015-06-20",
        "--count",
        "member:f:3",
        "--count",
        "member:m:9",
        "--total",
        "12",
        "--validate",
    )
    assert "recorded (validated)" in out
    assert Composition.objects.get().status == "validated"


def test_the_command_line_says_each_problem_naming_its_field(capsys):
    from django.core.management.base import CommandError

    make_body("csa", valid_from=date(2015, 6, 20))
    from io import StringIO

    from django.core.management import call_command

    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "composition",
            "--body",
            "csa",
            "--date",
            "2014-01-01",
            "--source",
            "x",
            "--count",
            "member:f:-1",
            "--total",
            "5",
            "--lang",
            "fr",
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert any(line.startswith("as_of: ") and "est en dehors" in line for line in lines)
    assert any(line.startswith("counts: ") and "négatif" in line for line in lines)
    assert any(line.startswith("declared_total: ") for line in lines)
