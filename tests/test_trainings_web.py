"""The trainings pages: the courses, a course's learning figures (from the engine, within
the user's scope) and sessions, a session's trainees; in French and English."""

import pytest

from musow.trainings.services import trainees_save
from tests.test_accessibility_pages import Page
from tests.trainings_helpers import make_course, make_session, trainee
from tests.web_fixtures import FAST_HASHERS, World, build_world, url


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    w = build_world(status="validated")
    course = make_course("induction", pass_mark=70)
    gao = make_session(
        course, {"G-1": "f", "G-2": "m"}, place="ML07", organiser="cafo", source_key="gao"
    )
    bamako = make_session(course, {"B-1": "f", "B-2": "m", "B-3": "m"}, source_key="bko")
    trainees_save(
        session=gao,
        trainees=[
            trainee("G-1", component="police", pre=40, post=90, completed=True, reaction=5),
            trainee("G-2", component="military", pre=50, post=60, completed=True),
        ],
    )
    trainees_save(
        session=bamako,
        trainees=[
            trainee("B-1", component="civilian", pre=20, post=80, completed=True),
            trainee("B-2", component="civilian", pre=30, post=50),
            trainee("B-3", component="military"),  # not tested: no data
        ],
    )
    return w


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_course_page_shows_learning_by_sex_and_component(world, lang):
    response = world.client("officer").get(url("web:course", "induction", lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert len(page.all("h1")) == 1
    assert len(page.all("meter")) >= 4
    assert "35" in html  # the mean gain: (50 + 10 + 60 + 20) / 4
    assert ">2014</a>" in html  # the year, never "2,014"
    for box in (e for e in page.elements if e.get("role") == "region"):
        assert page.by_id(box["aria-labelledby"])["text"].strip()


def test_the_course_figures_are_the_engines(world):
    from musow.indicators.engine import EVERYTHING
    from musow.trainings.figures import course_figures
    from musow.trainings.models import Course

    figures = course_figures(Course.objects.get(code="induction"), "2014", EVERYTHING)
    assert figures.headline["training_trainees"] == 5
    assert figures.headline["training_trained"] == 2 + 1
    assert figures.headline["training_mean_gain"] == 35
    assert figures.headline["training_pass_rate"] == 2 / 4
    assert [counts for _label, counts in figures.by_component] == [
        [1, 1, 0, 2],  # civilians: women, men, not recorded, total
        [0, 2, 0, 2],  # military
        [1, 0, 0, 1],  # police
    ]


def test_a_focal_point_sees_the_figures_and_sessions_of_their_region_only(world):
    html = world.client("focal_point").get(url("web:course", "induction", lang="en")).content
    text = html.decode()
    assert "Gao" in text and "Bamako" not in text
    page = Page(text)
    figures = [e["text"].strip() for e in page.all("dd", **{"class": "figure"})]
    assert figures[0] == "2"  # the two trainees of Gao, not the five


def test_a_session_page_lists_its_trainees_by_key_without_names(world):
    from musow.trainings.models import TrainingSession

    session = TrainingSession.objects.get(activity__place__pcode="ML07")
    response = world.client("partner").get(url("web:training-session", session.activity_id))
    html = response.content.decode()
    assert response.status_code == 200
    assert "G-1" not in html  # participant codes are never shown, only keys
    assert html.count("<code>") == 2
    outside = TrainingSession.objects.get(activity__place__pcode="ML09")
    response = world.client("partner").get(url("web:training-session", outside.activity_id))
    assert response.status_code == 404


def test_the_courses_list_counts_the_sessions_in_sight(world):
    text = world.client("focal_point").get(url("web:courses", lang="en")).content.decode()
    assert "1 session" in text
    text = world.client("officer").get(url("web:courses", lang="en")).content.decode()
    assert "2 sessions" in text
