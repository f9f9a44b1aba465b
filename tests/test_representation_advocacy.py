"""Submissions by women's organisations and agreements: written whole or not at all, each
bad input refused with one message naming its field (in the user's language), the
follow-up of a recommendation only moving forward, every change in the audit trail."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.representation import advocacy_services as advocacy
from musow.representation.models import (
    Agreement,
    FollowUpStep,
    Process,
    Recommendation,
    Submission,
)
from musow.representation.services import process_sync
from tests.representation_factories import (
    follow,
    make_agreement,
    make_body,
    make_organisation,
    make_submission,
    region,
)

pytestmark = pytest.mark.django_db


def _talks():
    process_sync(
        code="alger",
        values={"name_fr": "Pourparlers", "name_en": "Talks", "start_date": date(2014, 7, 16)},
    )
    return make_body(
        "mediation",
        kind="mediation",
        process=Process.objects.get(code="alger"),
        valid_from=date(2014, 7, 16),
        valid_to=date(2015, 6, 20),
    )


def _submission_input(body, **changes):
    values = {
        "kind": "memorandum",
        "title": "Mémorandum des organisations de femmes",
        "submitted_on": date(2014, 9, 1),
        "organisations": ("cafo",),
        "recommendations": ("Un quota de 30 % dans les délégations", "Des femmes médiatrices"),
        "source_document": "Mémorandum",
        "body": body,
    }
    return advocacy.SubmissionInput(**{**values, **changes})


def _counts():
    return (
        Submission.objects.count(),
        Recommendation.objects.count(),
        FollowUpStep.objects.count(),
        Agreement.objects.count(),
        Entry.objects.count(),
    )


def _refused(write, lang="fr"):
    before = _counts()
    with translation.override(lang), pytest.raises(ValidationError) as error:
        write()
    assert _counts() == before, "nothing is written"
    return error.value.message_dict


def _focal_point():
    user = User.objects.create_user("gao", password="x", role=User.Role.FOCAL_POINT)
    user.regions.add(region("ML07"))
    return user


def test_it_records_a_submission_its_recommendations_and_their_trail():
    body = _talks()
    make_organisation("cafo")
    submission = advocacy.submission_save(data=_submission_input(body))
    assert submission.status == "draft" and submission.process.code == "alger"
    assert list(submission.recommendations.values_list("text", "status")) == [
        ("Un quota de 30 % dans les délégations", "submitted"),
        ("Des femmes médiatrices", "submitted"),
    ]
    assert list(submission.organisations.values_list("code", flat=True)) == ["cafo"]
    advocacy.submission_submit(submission=submission)
    advocacy.submission_validate(submission=submission)
    actions = list(Entry.objects.for_target(submission).values_list("action", flat=True))
    assert sorted(actions) == ["create", "submit", "validate"]


def test_it_refuses_a_submission_before_its_process_starts_or_outside_the_body():
    body = _talks()
    make_organisation("cafo")
    early = _refused(
        lambda: advocacy.submission_save(
            data=_submission_input(body, submitted_on=date(2014, 1, 1))
        )
    )
    assert len(early["submitted_on"]) == 2  # outside the body's existence; before the process
    assert "ne peut pas le précéder" in " ".join(early["submitted_on"])
    late = _refused(
        lambda: advocacy.submission_save(
            data=_submission_input(body, submitted_on=date(2016, 1, 1))
        )
    )
    assert late.keys() == {"submitted_on"} and "en dehors" in late["submitted_on"][0]


def test_it_refuses_an_unknown_organisation_naming_it_in_english_too():
    body = _talks()
    errors = _refused(
        lambda: advocacy.submission_save(data=_submission_input(body, organisations=("nobody",))),
        lang="en",
    )
    assert errors == {
        "organisations": ["Unknown organisation “nobody”: add it to the organisations first."]
    }


def test_it_says_every_problem_of_a_submission_at_once_one_message_each():
    body = _talks()
    data = _submission_input(
        body,
        title=" ",
        organisations=(),
        recommendations=("", " "),
        source_document="",
        submitted_on=date(2016, 1, 1),
    )
    errors = _refused(lambda: advocacy.submission_save(data=data))
    assert set(errors) == {
        "title",
        "organisations",
        "recommendations",
        "source_document",
        "submitted_on",
    }
    assert all(len(messages) == 1 for messages in errors.values())


def test_a_focal_point_may_not_write_to_a_body_of_another_region():
    make_organisation("cafo")
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    user = _focal_point()
    errors = _refused(lambda: advocacy.submission_save(data=_submission_input(bamako), user=user))
    assert errors.keys() == {"body"} and "région" in errors["body"][0]
    agreement = advocacy.AgreementInput(
        title="Décision", signed_on=date(2015, 1, 1), source_document="PV", body=bamako
    )
    assert _refused(lambda: advocacy.agreement_save(data=agreement, user=user)).keys() == {"body"}
    gao = make_body("conseil-gao", kind="regional-council", place="ML07")
    assert advocacy.submission_save(data=_submission_input(gao), user=user).body == gao


def test_a_follow_up_only_moves_forward_and_never_before_the_submission():
    body = _talks()
    submission = make_submission(body, "2014-09-01")
    first, second = submission.recommendations.all()
    before = _refused(lambda: follow(first, "acknowledged", "2014-08-01"))
    assert before.keys() == {"on"} and "2014-09-01" in before["on"][0]
    follow(first, "acknowledged", "2014-10-01")
    follow(first, "reflected", "2015-05-15")
    first.refresh_from_db()
    assert first.status == "reflected" and first.version == 3
    back = _refused(lambda: follow(first, "acknowledged", "2015-06-01"))
    assert back.keys() == {"status"} and "jamais revenir" in back["status"][0]
    again = _refused(lambda: follow(first, "not-retained", "2015-06-01"))
    assert again.keys() == {"status"}
    # Not retained, and reflected later in another text: forward.
    follow(second, "not-retained", "2014-11-01")
    earlier = _refused(lambda: follow(second, "reflected", "2014-10-15"))
    assert earlier.keys() == {"on"}
    follow(second, "reflected", "2016-01-10", reflected_in="Loi n° 2015-052")
    assert list(second.steps.values_list("status", flat=True)) == ["not-retained", "reflected"]


def test_reflected_says_in_what_and_an_update_from_an_old_version_is_refused():
    body = _talks()
    recommendation = make_submission(body, "2014-09-01").recommendations.first()
    nowhere = _refused(lambda: follow(recommendation, "reflected", "2015-01-01", reflected_in=""))
    assert nowhere.keys() == {"reflected_in"}
    agreement = make_agreement(body, "2015-05-15", provisions=("womens-participation",))
    data = advocacy.FollowUpInput(status="reflected", on=date(2015, 5, 15), agreement=agreement)
    advocacy.recommendation_follow(recommendation=recommendation, data=data, expected_version=1)
    assert recommendation.steps.get().agreement == agreement
    stale = advocacy.FollowUpInput(status="not-retained", on=date(2015, 6, 1))
    with pytest.raises(ValidationError):
        advocacy.recommendation_follow(
            recommendation=recommendation, data=stale, expected_version=1
        )


def test_an_edit_keeps_the_followed_recommendations_and_their_dates():
    body = _talks()
    submission = make_submission(body, "2014-09-01", status="draft")
    follow(submission.recommendations.first(), "acknowledged", "2014-10-01")
    dropped = _submission_input(body, recommendations=())
    assert _refused(
        lambda: advocacy.submission_save(data=dropped, submission=submission)
    ).keys() == {"recommendations"}
    later = _submission_input(body, submitted_on=date(2014, 11, 1))
    assert _refused(lambda: advocacy.submission_save(data=later, submission=submission)).keys() == {
        "submitted_on"
    }
    edited = _submission_input(body, recommendations=("Un quota de 30 % (revu)",))
    advocacy.submission_save(data=edited, submission=submission, expected_version=1)
    kept = submission.recommendations.get()
    assert kept.text == "Un quota de 30 % (revu)" and kept.status == "acknowledged"


def test_it_refuses_negative_signatories_and_an_unknown_provision_one_message_each():
    body = _talks()
    data = advocacy.AgreementInput(
        title="Accord",
        signed_on=date(2015, 5, 15),
        source_document="Texte",
        body=body,
        signatories_women=-1,
        signatories_men=-4,
        provisions=("sgbv", "unicorns"),
    )
    errors = _refused(lambda: advocacy.agreement_save(data=data))
    assert errors.keys() == {"signatories_women", "signatories_men", "provisions"}
    assert "femmes signataires ne peut pas être négatif" in errors["signatories_women"][0]
    assert "unicorns" in errors["provisions"][0]


def test_it_refuses_an_agreement_before_its_process_or_outside_the_body():
    body = _talks()
    data = advocacy.AgreementInput(
        title="Accord", signed_on=date(2014, 1, 1), source_document="Texte", body=body
    )
    errors = _refused(lambda: advocacy.agreement_save(data=data))
    assert errors.keys() == {"signed_on"} and len(errors["signed_on"]) == 2


def test_an_agreement_with_its_provisions_and_its_workflow_and_trail():
    body = _talks()
    agreement = make_agreement(
        body, "2015-05-15", provisions=("sgbv", "womens-participation"), women=0, men=12
    )
    assert agreement.status == "validated"
    assert sorted(agreement.provisions.values_list("code", flat=True)) == [
        "sgbv",
        "womens-participation",
    ]
    advocacy.agreement_return(agreement=agreement, comment="Signataires à vérifier")
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    with pytest.raises(ValidationError):
        advocacy.agreement_validate(agreement=agreement)
    actions = list(Entry.objects.for_target(agreement).values_list("action", flat=True))
    assert sorted(actions) == ["create", "return", "submit", "validate"]


def test_a_process_alone_is_the_officers():
    process_sync(code="alger", values={"name_fr": "P", "name_en": "P"})
    process = Process.objects.get(code="alger")
    make_organisation("cafo")
    data = _submission_input(None, process=process)
    errors = _refused(lambda: advocacy.submission_save(data=data, user=_focal_point()))
    assert errors.keys() == {"body"}
    assert advocacy.submission_save(data=data).process == process
    nowhere = _submission_input(None)
    assert _refused(lambda: advocacy.submission_save(data=nowhere)).keys() == {"body"}
