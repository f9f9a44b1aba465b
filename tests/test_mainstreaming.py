"""Gender mainstreaming reviews: recorded with their checklist and marker code, their
recommendations followed up open → accepted → implemented / not accepted, audited; bad
input gets one clear message per problem and nothing is written."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from musow.activities.models import Project
from musow.audit.models import Entry
from musow.mainstreaming.models import (
    ProjectBudget,
    ProjectMarker,
    Recommendation,
    Review,
    ReviewAnswer,
    Section,
)
from musow.mainstreaming.services import (
    project_marker_set,
    recommendation_accept,
    recommendation_decline,
    recommendation_follow_up,
    recommendation_implement,
    review_save,
)
from tests.mainstreaming_helpers import (
    make_project_marker,
    make_recommendation,
    make_review,
    review_input,
    reviewer,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}


def test_a_review_keeps_its_checklist_and_counts_2a_as_2():
    review = make_review()
    assert (review.marker, review.marker_code) == (2, "2a")
    assert {a.item.code: a.answer for a in review.answers.all()} == {
        "gender-analysis": "yes",
        "sex-disaggregated-data": "partly",
    }
    entry = Entry.objects.for_target(review).get()
    assert entry.action == "create" and entry.actor == reviewer()
    assert entry.changes["marker_code"] == [None, "2a"]


def test_changing_a_review_is_audited_with_what_changed():
    review = make_review()
    review_save(data=review_input(marker_code="3", answers={}), user=reviewer(), review=review)
    review.refresh_from_db()
    assert review.marker == 3 and not review.answers.exists()
    entry = Entry.objects.for_target(review).filter(action="update").get()
    assert entry.changes["marker_code"] == ["2a", "3"]
    assert entry.changes["checklist gender-analysis"] == ["yes", None]


@pytest.mark.parametrize("code", ["4", "-1", "2c", "", "deux"])
def test_it_refuses_a_marker_code_not_in_the_scale(code):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        make_review(marker_code=code)
    messages = _messages(error.value)
    assert list(messages) == ["marker_code"]
    expected = f"“{code}” is not a" if code else "Choose the Gender Equality Marker code"
    assert messages["marker_code"][0].startswith(expected)
    assert not Review.objects.exists() and not ReviewAnswer.objects.exists()


def test_it_says_every_problem_of_a_review_once_in_french():
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        review_save(
            data=review_input(
                title=" ",
                justification="",
                marker_code="5",
                answers={"gender-analysis": "peut-être", "moon": "yes"},
            ),
            user=reviewer(),
        )
    messages = _messages(error.value)
    assert set(messages) == {"title", "justification", "marker_code", "answers"}
    assert all(len(m) == 1 for name, m in messages.items() if name != "answers")
    assert len(messages["answers"]) == 2
    assert "n'est pas un code du marqueur" in messages["marker_code"][0]
    assert not Review.objects.exists() and not Entry.objects.exists()


def test_it_refuses_a_review_in_the_future_or_before_its_document():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        make_review(reviewed_on=tomorrow)
    assert list(error.value.message_dict) == ["reviewed_on"]
    with pytest.raises(ValidationError):
        make_review(document_date=date(2014, 7, 1))
    assert not Review.objects.exists()


def test_a_recommendation_is_followed_up_to_implemented_and_audited():
    recommendation = make_recommendation(make_review())
    assert recommendation.status == "open" and recommendation.made_on == date(2014, 6, 10)
    recommendation_accept(recommendation=recommendation, user=reviewer(), on=date(2014, 7, 1))
    recommendation_implement(
        recommendation=recommendation, user=reviewer(), on=date(2014, 8, 1), comment="Fait."
    )
    recommendation.refresh_from_db()
    assert recommendation.status == "implemented"
    assert (recommendation.accepted_on, recommendation.implemented_on) == (
        date(2014, 7, 1),
        date(2014, 8, 1),
    )
    entries = Entry.objects.for_target(recommendation).order_by("id")
    trail = [e.changes["status"] for e in entries if "status" in e.changes]
    assert trail == [["open", "accepted"], ["accepted", "implemented"]]


def test_it_refuses_a_transition_out_of_order_and_writes_nothing():
    recommendation = make_recommendation(make_review())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        recommendation_implement(
            recommendation=recommendation, user=reviewer(), on=date(2014, 7, 1)
        )
    assert _messages(error.value) == {
        "status": ["Only an accepted recommendation can be marked implemented."]
    }
    with pytest.raises(ValidationError):
        recommendation_follow_up(
            recommendation=recommendation, user=reviewer(), status="open", on=date(2014, 7, 1)
        )
    recommendation_decline(
        recommendation=recommendation, user=reviewer(), on=date(2014, 7, 1), comment="Hors mandat."
    )
    with pytest.raises(ValidationError):
        recommendation_accept(recommendation=recommendation, user=reviewer(), on=date(2014, 7, 2))
    recommendation.refresh_from_db()
    assert recommendation.status == "not_accepted" and recommendation.accepted_on is None
    assert Entry.objects.for_target(recommendation).count() == 2


def test_it_refuses_a_follow_up_dated_before_the_recommendation():
    recommendation = make_recommendation(make_review())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        recommendation_accept(recommendation=recommendation, user=reviewer(), on=date(2014, 6, 9))
    assert _messages(error.value) == {
        "on": ["The follow-up date cannot be before the recommendation was made (2014-06-10)."]
    }
    recommendation.refresh_from_db()
    assert recommendation.status == "open" and recommendation.accepted_on is None


def test_it_refuses_implementation_before_acceptance_and_a_decline_without_reason():
    recommendation = make_recommendation(make_review())
    recommendation_accept(recommendation=recommendation, user=reviewer(), on=date(2014, 7, 1))
    with pytest.raises(ValidationError) as error:
        recommendation_implement(
            recommendation=recommendation, user=reviewer(), on=date(2014, 6, 30)
        )
    assert list(error.value.message_dict) == ["on"]
    other = make_recommendation(make_review())
    with pytest.raises(ValidationError) as error:
        recommendation_decline(
            recommendation=other, user=reviewer(), on=date(2014, 7, 1), comment=" "
        )
    assert list(error.value.message_dict) == ["comment"]


def test_it_refuses_a_due_date_before_the_recommendation():
    review = make_review()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        make_recommendation(review, due_date=date(2014, 6, 1), text="")
    assert set(error.value.message_dict) == {"due_date", "text"}
    assert not Recommendation.objects.exists()


def test_a_project_carries_a_marker_and_a_budget_by_year():
    pm = make_project_marker("cvr-gao", "2b", {2014: "150000", 2015: 90000})
    assert pm.marker == 2 and pm.section.code == "cvr"
    assert {b.year: b.amount for b in pm.budgets.all()} == {2014: 150000, 2015: 90000}
    make_project_marker("cvr-gao", "3", {2014: "150000"})
    pm.refresh_from_db()
    assert pm.marker == 3 and list(pm.budgets.values_list("year", flat=True)) == [2014]
    assert Entry.objects.for_target(pm).count() == 2


def test_it_refuses_a_bad_project_marker_or_budget_and_writes_nothing():
    project = Project.objects.create(code="p", name_fr="P", name_en="P")
    with pytest.raises(ValidationError) as error:
        project_marker_set(
            project=project,
            user=reviewer(),
            marker_code="2c",
            section=Section.objects.get(code="cvr"),
            budgets={2014: "-5", 1066: 10, 2015: "beaucoup"},
        )
    messages = _messages(error.value)
    assert list(messages) == ["marker_code", "budgets"] and len(messages["budgets"]) == 3
    assert not ProjectMarker.objects.exists() and not ProjectBudget.objects.exists()
