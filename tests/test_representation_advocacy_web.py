"""Submissions and agreements through HTTP: a focal point enters what women's
organisations submitted to a body of their region, an officer validates it, the follow-up
of a recommendation is updated on its own page, an agreement is entered with its
signatories by sex and its gender provisions; the body page shows them; bad input is
refused at the form naming the field, and nothing is written."""

from datetime import date

import pytest

from musow.representation.models import Agreement, FollowUpStep, Process, Submission
from musow.representation.services import process_sync
from tests.representation_factories import make_body, make_organisation, make_submission
from tests.test_accessibility_pages import Page
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _gao_body():
    process_sync(
        code="reconciliation",
        values={
            "name_fr": "Réconciliation",
            "name_en": "Reconciliation",
            "start_date": date(2015, 1, 1),
        },
    )
    return make_body(
        "comite-gao",
        kind="reconciliation-committee",
        place="ML07",
        process=Process.objects.get(code="reconciliation"),
        valid_from=date(2015, 1, 1),
    )


def _submission(**changes):
    return {
        "kind": "memorandum",
        "title": "Mémorandum des femmes de Gao",
        "submitted_on": "2015-03-08",
        "organisations": ["cafo", "wildaf"],
        "recommendations": "Un tiers de femmes au comité\nUn fonds pour les victimes",
        "source_document": "Mémorandum du 8 mars",
        "action": "submit",
        **changes,
    }


def _agreement(**changes):
    return {
        "title": "Décision du comité",
        "signed_on": "2015-06-01",
        "signatories_women": "2",
        "signatories_men": "9",
        "provisions": ["womens-participation", "sgbv"],
        "source_document": "Procès-verbal",
        "action": "submit",
        **changes,
    }


def test_a_focal_point_enters_a_submission_an_officer_validates_and_follows_it(world: World):
    body = _gao_body()
    make_organisation("cafo"), make_organisation("wildaf")
    gao = world.client("focal_point")
    response = gao.post(url("bodies:submission-new", body.pk), _submission())
    submission = Submission.objects.get()
    assert response["Location"].endswith(url("bodies:submission", submission.pk))
    assert submission.status == "submitted"
    assert list(submission.recommendations.values_list("text", flat=True)) == [
        "Un tiers de femmes au comité",
        "Un fonds pour les victimes",
    ]
    officer = world.client("officer")
    officer.post(url("bodies:submission-validate", submission.pk))
    response = gao.post(url("bodies:agreement-new", body.pk), _agreement())
    agreement = Agreement.objects.get()
    officer.post(url("bodies:agreement-validate", agreement.pk))
    first = submission.recommendations.first()
    follow = url("bodies:follow-up", first.pk)
    assert "Un tiers de femmes au comité" in gao.get(follow).content.decode()
    response = gao.post(
        follow, {"status": "reflected", "on": "2015-06-01", "agreement": agreement.pk, "version": 1}
    )
    assert response.status_code == 302
    step = FollowUpStep.objects.get()
    assert step.agreement == agreement and step.recommendation.status == "reflected"
    page = officer.get(url("bodies:body", body.pk)).content.decode()
    assert "Contributions des organisations de femmes" in page
    assert "1 reprise dans un texte ou une décision" in page and "1 soumise" in page
    assert "Décision du comité" in page and "Violences sexuelles" in page
    detail = officer.get(url("bodies:agreement", agreement.pk)).content.decode()
    assert "Un tiers de femmes au comité" in detail  # the recommendation reflected in it


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"submitted_on": "2014-12-01"}, "submitted_on", "ne peut pas le précéder"),
        ({"organisations": ["cafo", "inconnue"]}, "organisations", "« inconnue »"),
        ({"recommendations": "  \n "}, "recommendations", "au moins une recommandation"),
    ],
)
def test_bad_submissions_are_refused_at_the_form_naming_the_field(
    world: World, changes, field, message
):
    body = _gao_body()
    make_organisation("cafo")
    response = world.client("focal_point").post(
        url("bodies:submission-new", body.pk), _submission(**changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert Page(html).by_id(f"id_{field}_error") is not None
    assert not Submission.objects.exists()


def test_bad_follow_ups_are_refused_at_the_form_naming_the_field(world: World):
    body = _gao_body()
    recommendation = make_submission(body, "2015-03-08").recommendations.first()
    officer = world.client("officer")
    follow = url("bodies:follow-up", recommendation.pk)
    before = officer.post(follow, {"status": "acknowledged", "on": "2015-03-01", "version": 1})
    assert before.status_code == 200
    assert Page(before.content.decode()).by_id("id_on_error") is not None
    assert "2015-03-08" in before.content.decode()
    officer.post(follow, {"status": "not-retained", "on": "2015-04-01", "version": 1})
    back = officer.post(follow, {"status": "acknowledged", "on": "2015-05-01", "version": 2})
    assert back.status_code == 200
    assert "sans jamais revenir" in back.content.decode()
    assert Page(back.content.decode()).by_id("id_status_error") is not None
    assert FollowUpStep.objects.count() == 1


def test_negative_signatories_are_refused_at_the_form_one_message_each(world: World):
    body = _gao_body()
    response = world.client("officer").post(
        url("bodies:agreement-new", body.pk),
        _agreement(signatories_women="-1", signatories_men="-3", signed_on="2014-06-01"),
    )
    assert response.status_code == 200
    page = Page(response.content.decode())
    for field in ("signatories_women", "signatories_men", "signed_on"):
        assert page.by_id(f"id_{field}_error") is not None
    assert "femmes signataires ne peut pas être négatif" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_focal_point_cannot_reach_a_body_of_another_region(world: World):
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    gao = world.client("focal_point")
    assert gao.get(url("bodies:submission-new", bamako.pk)).status_code == 404
    assert gao.post(url("bodies:agreement-new", bamako.pk), _agreement()).status_code == 404
    assert not Agreement.objects.exists()


def test_an_edit_from_an_old_version_is_refused_and_the_input_kept(world: World):
    body = _gao_body()
    make_organisation("cafo")
    submission = make_submission(body, "2015-03-08", status="draft")
    officer = world.client("officer")
    edit = url("bodies:submission-edit", submission.pk)
    first = officer.post(
        edit, _submission(title="Premier", organisations=["cafo"], version="1", action="draft")
    )
    assert first.status_code == 302
    second = officer.post(
        edit, _submission(title="Second", organisations=["cafo"], version="1", action="draft")
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert "a modifié cette fiche depuis" in html and 'value="Second"' in html
    assert 'name="version" value="2"' in html
    assert Submission.objects.get().title == "Premier"


def test_the_pages_read_in_english_too(world: World):
    body = _gao_body()
    submission = make_submission(body, "2015-03-08")
    officer = world.client("officer")
    page = officer.get(url("bodies:body", body.pk, lang="en")).content.decode()
    assert "Submissions by women's organisations" in page and "2 submitted" in page
    detail = officer.get(url("bodies:submission", submission.pk, lang="en")).content.decode()
    assert "Update the follow-up" in detail
    form = officer.get(url("bodies:agreement-new", body.pk, lang="en")).content.decode()
    assert "Sexual and gender-based violence (SGBV)" in form
