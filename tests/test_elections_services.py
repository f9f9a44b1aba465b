"""Elections and candidate lists through their service: the workflow, the audit trail,
optimistic locking, the law kept on each list, and bad input refused field by field with
nothing written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.demo.users import demo_users_ensure
from musow.elections import services
from musow.elections.models import Candidate, CandidateList, Election
from musow.elections.services import ListInput, Position, positions_parse
from musow.representation.models import Process
from tests.elections_factories import make_election, make_list
from tests.representation_factories import region

pytestmark = pytest.mark.django_db


def refused(call, **kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def list_input(election, sexes="FMF", **values):
    values.setdefault("party", "Parti A")
    values.setdefault("council", "communal-council")
    values.setdefault("place", region("ML07"))
    values.setdefault("source_document", "Liste déposée")
    return ListInput(election=election, candidates=positions_parse(sexes), **values)


def test_a_list_goes_draft_submitted_validated_and_is_audited():
    election = make_election()
    saved = make_list(election, "FFMFMM", elected_women=2, elected_men=1, status="draft")
    assert (saved.candidates_women, saved.candidates_men) == (3, 3)
    assert saved.art2 == "meets" and saved.art3 == "meets"
    services.list_submit(candidate_list=saved)
    services.list_validate(candidate_list=saved)
    saved.refresh_from_db()
    assert saved.status == "validated" and saved.version == 3
    actions = list(Entry.objects.for_target(saved).values_list("action", flat=True))
    assert len(actions) == 3


def test_it_keeps_the_laws_verdict_and_records_a_failing_list():
    election = make_election()
    assert make_list(election, "MMMMMF").art2 == "fails"
    assert make_list(election, "MMFMMMF").art3 == "fails"
    assert make_list(election, "FMM", council="other").art2 == "n/a"


def test_positions_elected_give_the_numbers_elected():
    saved = make_list(make_election(), "FMFM", elected_positions=(1, 2, 3))
    assert (saved.elected_women, saved.elected_men) == (2, 1)
    assert list(
        Candidate.objects.filter(candidate_list=saved, elected=True).values_list(
            "position", flat=True
        )
    ) == [1, 2, 3]


def test_it_refuses_a_position_repeated_or_missing_naming_the_field():
    election = make_election()
    data = list_input(election, "1F 2M 2F 5M")
    problems = refused(services.list_save, data=data)
    assert list(problems) == ["candidates"]
    assert any("2 given more than once" in p for p in problems["candidates"])
    assert any("3, 4 missing" in p for p in problems["candidates"])
    assert not CandidateList.objects.exists()


def test_it_refuses_a_sex_other_than_f_or_m():
    problems = refused(services.list_save, data=list_input(make_election(), "FMX"))
    assert problems == {"candidates": ["Position 3: “X” is not a sex; write F (woman) or M (man)."]}


def test_it_refuses_more_elected_than_candidates():
    data = list_input(make_election(), "FMM", elected_women=2, elected_men=3)
    problems = refused(services.list_save, data=data)
    assert problems["elected_women"] == ["2 women elected, but the list has 1 women candidates."]
    assert "elected_men" in problems
    assert not CandidateList.objects.exists()


def test_it_refuses_a_focal_point_a_list_of_another_region():
    demo_users_ensure()
    focal = User.objects.get(username="gao")
    data = list_input(make_election(), "FMF", place=region("ML09"))
    problems = refused(services.list_save, data=data, user=focal)
    assert list(problems) == ["place"]
    assert not CandidateList.objects.exists()
    assert services.list_save(data=list_input(make_election("regional"), "FMF"), user=focal)


def test_it_refuses_an_election_date_outside_its_process():
    process = Process.objects.create(
        code="p", name_fr="P", name_en="P", start_date=date(2016, 1, 1), end_date=date(2016, 12, 31)
    )
    problems = refused(
        services.election_save,
        data=services.ElectionInput(
            kind="communal",
            held_on=date(2017, 1, 5),
            name_fr="x",
            name_en="x",
            process=process,
        ),
    )
    assert list(problems) == ["held_on"]
    assert not Election.objects.exists()


def test_an_edit_from_an_old_version_is_refused_and_changes_nothing():
    saved = make_list(make_election(), "FMF", status="draft")
    services.list_save(
        data=list_input(saved.election, "FMFM"), candidate_list=saved, expected_version=1
    )
    with pytest.raises(ValidationError):
        services.list_save(
            data=list_input(saved.election, "MMMM"), candidate_list=saved, expected_version=1
        )
    saved.refresh_from_db()
    assert saved.sexes == "fmfm"


def test_a_total_keeps_the_men_not_given_as_no_data_and_excludes_lists():
    election = make_election()
    total = make_list(
        election, "", place=None, is_total=True, party="Toutes les listes", elected_women=2800
    )
    assert total.elected_men is None
    problems = refused(services.list_save, data=list_input(election, "FMF"))
    assert "is_total" in problems


def test_the_parser_reads_letters_or_numbered_positions():
    assert positions_parse("F M f") == (Position(1, "F"), Position(2, "M"), Position(3, "f"))
    assert positions_parse("1F, 3:M") == (Position(1, "F"), Position(3, "M"))


def _command(*args):
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command("candidates", *args, "--lang", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_records_a_list_and_says_whether_it_meets_the_law():
    election = make_election()
    out, _err = _command(
        "--election",
        election.code,
        "--party",
        "Parti A",
        "--place",
        "ML07",
        "--candidates",
        "MMMF",
        "--source",
        "Liste",
        "--validate",
    )
    assert "recorded (validated)" in out and "Positions 1, 2 and 3 are all men" in out
    assert CandidateList.objects.get().status == "validated"


def test_the_command_refuses_bad_input_one_line_per_problem_nothing_written():
    from django.core.management.base import CommandError

    election = make_election()
    with pytest.raises(CommandError, match="Nothing was written"):
        _command(
            "--election",
            election.code,
            "--party",
            "Parti A",
            "--place",
            "ML07",
            "--candidates",
            "1F 2X 2M 5F",
            "--elected-women",
            "3",
            "--source",
            "Liste",
        )
    demo_users_ensure()
    from io import StringIO

    from django.core.management import call_command

    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "candidates",
            "--election",
            election.code,
            "--party",
            "P",
            "--place",
            "ML09",
            "--candidates",
            "FMF",
            "--source",
            "L",
            "--user",
            "gao",
            "--lang",
            "en",
            stderr=err,
        )
    assert err.getvalue().startswith("place: You may only enter lists placed in your region")
    assert not CandidateList.objects.exists()
