"""The gender reviews pages, through HTTP: an officer records a review with its
checklist, marker code and recommendations, sees the overdue ones first and records
their follow-up; bad input is answered with one message per problem and nothing is
written; focal points and partners read only the reviews that concern them."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from musow.indicators.engine import compute
from musow.mainstreaming.models import ProjectMarker, Recommendation, Review
from tests import web_fixtures
from tests.mainstreaming_helpers import make_recommendation, make_review
from tests.test_accessibility_pages import Page
from tests.web_fixtures import World, url

world = web_fixtures.world  # one account per role

pytestmark = pytest.mark.django_db

REVIEW_FORM = {
    "title": "Stratégie de protection des civils 2014",
    "kind": "strategy",
    "section": "human-rights",
    "document_date": "2014-03-01",
    "version": "v2",
    "link": "https://intranet.example/poc-2014.pdf",
    "reviewed_on": "2014-03-20",
    "region": "",
    "organisation": "",
    "project": "",
    "marker_code": "2b",
    "justification": "Objectifs de genre présents, sans budget.",
    "item_gender-analysis": "yes",
    "item_women-consulted": "no",
}


def test_an_officer_records_a_review_with_its_checklist(world: World):
    client = world.client("officer")
    response = client.post(url("mainstreaming:review-new"), REVIEW_FORM)
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "mainstreaming:review", review.pk
    )
    assert (review.marker, review.marker_code, review.reviewer) == (
        2,
        "2b",
        world.users["officer"],
    )
    assert {a.item.code: a.answer for a in review.answers.all()} == {
        "gender-analysis": "yes",
        "women-consulted": "no",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Stratégie de protection des civils 2014" in page
    assert "Contient une analyse de genre" in page and "2b" in page


def test_it_answers_a_bad_marker_code_on_its_field_and_writes_nothing(world: World):
    client = world.client("officer")
    response = client.post(
        url("mainstreaming:review-new", lang="en"),
        {**REVIEW_FORM, "marker_code": "4", "justification": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There are 2 problems to correct" in page
    assert "“4” is not a Gender Equality Marker code" in page
    assert "Say why the document gets this marker code." in page
    assert not Review.objects.exists()


def test_the_list_puts_the_overdue_recommendations_first(world: World):
    today = timezone.localdate()
    late = make_recommendation(
        make_review(title="Rapport S/2014/403"), text="Recommandation en retard"
    )
    make_recommendation(
        make_review(title="SOP patrouilles"),
        text="Recommandation à venir",
        due_date=today + timedelta(days=30),
    )
    page = world.client("officer").get(url("mainstreaming:reviews")).content.decode()
    todo = page[page.index('id="overdue"') : page.index('id="reviews"')]
    assert "Recommandation en retard" in todo and "Recommandation à venir" not in todo
    assert str((today - late.due_date).days) in todo.replace("\u202f", "")


def test_an_officer_records_the_follow_up_and_a_bad_date_is_refused(world: World):
    recommendation = make_recommendation(make_review())
    client = world.client("officer")
    address = url("mainstreaming:recommendation-follow-up", recommendation.pk, lang="en")
    response = client.post(address, {"status": "accepted", "on": "2014-06-01"})
    assert response.status_code == 200
    assert "The follow-up date cannot be before the recommendation was made" in (
        response.content.decode()
    )
    recommendation.refresh_from_db()
    assert recommendation.status == "open"
    response = client.post(address, {"status": "accepted", "on": "2014-07-01"})
    assert response.status_code == 302
    response = client.post(address, {"status": "implemented", "on": "2014-08-01", "comment": "OK"})
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.implemented_on) == (
        "implemented",
        date(2014, 8, 1),
    )


def test_an_officer_adds_a_recommendation_and_a_due_date_before_it_is_refused(world: World):
    review = make_review()
    client = world.client("officer")
    address = url("mainstreaming:recommendation-add", review.pk)
    data = {"text": "Consulter les associations de femmes.", "section": "civil-affairs"}
    response = client.post(address, {**data, "due_date": "2014-01-01"})
    assert response.status_code == 200 and "échéance ne peut pas précéder" in (
        response.content.decode()
    )
    assert not Recommendation.objects.exists()
    assert client.post(address, {**data, "due_date": "2014-12-31"}).status_code == 302
    assert Recommendation.objects.get().section.code == "civil-affairs"


def test_focal_points_and_partners_see_only_the_reviews_that_concern_them(world: World):
    gao = make_review(title="Plan régional de Gao", region="ML07")
    partner = make_review(title="Proposition de la CAFO", organisation="cafo")
    mission = make_review(title="Politique de la Mission")
    for role, seen in (("focal_point", gao), ("partner", partner)):
        client = world.client(role)
        page = client.get(url("mainstreaming:reviews")).content.decode()
        others = {gao, partner, mission} - {seen}
        assert seen.title in page and not any(r.title in page for r in others)
        assert client.get(url("mainstreaming:review", seen.pk)).status_code == 200
        assert client.get(url("mainstreaming:review", mission.pk)).status_code == 404
    officer_page = world.client("officer").get(url("mainstreaming:reviews")).content.decode()
    assert all(r.title in officer_page for r in (gao, partner, mission))


def test_an_officer_codes_a_project_and_its_budget(world: World):
    from musow.activities.models import Project

    Project.objects.create(code="cvr-gao", name_fr="RVC Gao", name_en="CVR Gao")
    client = world.client("officer")
    address = url("mainstreaming:project", "cvr-gao")
    data = {"marker_code": "3", "section": "cvr", "justification": ""}
    response = client.post(address, {**data, "budgets": "2014: 150 000\n2015 beaucoup"})
    assert response.status_code == 200 and "2015 beaucoup" in response.content.decode()
    assert not ProjectMarker.objects.exists()
    response = client.post(address, {**data, "budgets": "2014: 150 000\n2015: 90000,50"})
    assert response.status_code == 302
    marker = ProjectMarker.objects.get()
    assert {b.year: str(b.amount) for b in marker.budgets.all()} == {
        2014: "150000.00",
        2015: "90000.50",
    }
    page = client.get(url("mainstreaming:projects")).content.decode()
    assert "RVC Gao" in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pages_have_one_h1_unique_ids_and_errors_tied_to_their_fields(world: World, lang):
    review = make_review(region="ML07")
    make_recommendation(review)
    make_recommendation(review, text="Deuxième recommandation")
    client = world.client("officer")
    pages = [
        client.get(url(name, *args, lang=lang))
        for name, args in (
            ("mainstreaming:reviews", ()),
            ("mainstreaming:review", (review.pk,)),
            ("mainstreaming:review-new", ()),
            ("mainstreaming:projects", ()),
        )
    ]
    refused = client.post(
        url("mainstreaming:review-new", lang=lang), {**REVIEW_FORM, "marker_code": "9", "title": ""}
    )
    for response in [*pages, refused]:
        assert response.status_code == 200
        page = Page(response.content.decode())
        assert len(page.all("h1")) == 1
        ids = [e["id"] for e in page.elements if e.get("id")]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        for element in page.elements:
            for attr in ("aria-describedby", "aria-labelledby"):
                for id_ in element.get(attr, "").split():
                    assert page.by_id(id_) is not None, f"{element['tag']} {attr} #{id_}"
    page = Page(refused.content.decode())
    links = {e["href"][1:] for e in page.all("a") if e.get("href", "").startswith("#")}
    assert links - {"main"} == {"id_title", "id_marker_code_0"}
    assert all(page.by_id(i) is not None for i in links)


def test_the_demo_loads_five_illustrative_reviews_once(world: World):
    from musow.activities.models import Project
    from musow.mainstreaming.demo import ILLUSTRATIVE, mainstreaming_demo_load

    Project.objects.create(code="acces-justice-vsbg", name_fr="Justice", name_en="Justice")
    first = mainstreaming_demo_load()
    assert set(first.values()) == {"created"}
    reviews = Review.objects.filter(title__endswith=ILLUSTRATIVE)
    assert reviews.count() == 5
    assert all(r.justification.startswith("Exemple illustratif") for r in reviews)
    assert set(mainstreaming_demo_load().values()) == {"unchanged"}
    assert Recommendation.objects.filter(status="implemented").count() == 2
    gao = world.client("focal_point").get(url("mainstreaming:reviews")).content.decode()
    assert "réduction de la violence communautaire à Gao" in gao
    share = compute("gem-budget-share-significant", "2014").total
    assert share == pytest.approx((1_200_000 + 450_000 + 800_000) / 2_500_000)


def test_an_officer_changes_a_review_and_the_change_is_in_its_history(world: World):
    review = make_review(region="ML07")
    client = world.client("officer")
    address = url("mainstreaming:review-edit", review.pk)
    page = client.get(address).content.decode()
    assert re.search(r'value="2a"[^>]*checked', page)
    data = {**REVIEW_FORM, "title": review.title, "kind": "sc-report", "marker_code": "3"}
    assert client.post(address, data).status_code == 302
    review.refresh_from_db()
    assert (review.marker, review.kind.code, review.region) == (3, "sc-report", None)
    history = client.get(url("mainstreaming:review", review.pk)).content.decode()
    assert "2a" in history and "3" in history
    assert world.client("focal_point").get(address).status_code == 403
