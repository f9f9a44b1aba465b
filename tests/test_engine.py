"""The counting engine, tested directly: it is the heart of every figure musow publishes."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from musow.activities.models import Activity, Campaign, CampaignSeries, Organisation, Project
from musow.geo.models import Place
from musow.indicators.engine import EngineError, Scope, compute, headline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from tests.analytics_helpers import STORES, use_store, where
from tests.factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["register", *STORES])
def figures_engine(request, settings, monkeypatch):
    """Every test of the engine runs on the register (the ORM on SQLite or PostgreSQL),
    on DuckDB and on ClickHouse's engine (chDB), and checks that each figure was
    computed where it was asked to be."""
    from musow.indicators import engine

    if request.param == "register":
        use_store(settings, "register")
    else:
        use_store(settings, request.param)
    seen: set[str] = set()
    original = engine.compute

    def checked(*args, **kwargs):
        result = original(*args, **kwargs)
        seen.update(where(result))
        return result

    monkeypatch.setattr(engine, "compute", checked)
    monkeypatch.setitem(globals(), "compute", checked)
    yield request.param
    expected = {"register": "register", "duckdb": "duckdb", "chdb": "clickhouse"}[request.param]
    assert seen <= {expected}, f"figures computed on {seen}, not only {expected}"


def p(audience: str, sex: str, age: str, count: int) -> dict:
    return {"audience": audience, "sex": sex, "age": age, "count": count}


def region(pcode: str) -> Place:
    return Place.objects.get(pcode=pcode, level=Place.Level.REGION)


def cercle(pcode: str, parent: str, name: str) -> Place:
    return Place.objects.create(
        gazetteer=region(parent).gazetteer,
        pcode=pcode,
        level=Place.Level.CERCLE,
        parent=region(parent),
        name_fr=name,
        name_en=name,
    )


def campaign(series: str = "16-days", code: str = "16-days-2014") -> Campaign:
    return Campaign.objects.create(
        code=code,
        series=CampaignSeries.objects.get(code=series),
        name_fr=code,
        name_en=code,
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )


def values(result) -> dict:
    return {tuple(m.code for m in row.key.values()): row.value for row in result.rows}


# --- contacts ----------------------------------------------------------------------


def test_contacts_sum_participants_over_activities():
    make_activity(participation=[p("general-public", "f", "18-plus", 30)])
    make_activity(participation=[p("students", "m", "under-18", 12)])
    assert compute("participants-all", "2014").total == 42


def test_a_sex_filter_counts_only_that_sex():
    make_activity(
        participation=[
            p("general-public", "f", "18-plus", 30),
            p("general-public", "m", "18-plus", 20),
        ]
    )
    make_activity(participation=[p("students", "f", "under-18", 7)])
    assert compute("women-participants", "2014").total == 37


def test_an_audience_filter_counts_only_that_audience():
    make_activity(
        type="training",
        themes=["gender-mainstreaming"],
        participation=[
            p("defence-security-forces", "m", "18-plus", 40),
            p("defence-security-forces", "f", "18-plus", 5),
            p("authorities", "m", "18-plus", 3),
        ],
    )
    assert compute("fds-trained-gender", "2014").total == 45


def test_an_activity_with_two_themes_counts_once():
    make_activity(
        themes=["gbv", "wps-1325"], participation=[p("justice-actors", "f", "18-plus", 9)]
    )
    assert compute("sgbv-justice-actors-trained", "2014").total == 9
    assert compute("participants-all", "2014").total == 9


def test_a_theme_filter_leaves_out_activities_without_the_theme():
    make_activity(themes=["empowerment"], participation=[p("justice-actors", "f", "18-plus", 9)])
    assert compute("sgbv-justice-actors-trained", "2014").total == 0


def test_a_type_filter_leaves_out_other_types():
    make_activity(type="workshop", participation=[p("defence-security-forces", "m", "18-plus", 8)])
    make_activity(
        type="conference", participation=[p("defence-security-forces", "m", "18-plus", 50)]
    )
    assert compute("fds-trained-gender", "2014").total == 8


def test_a_campaign_filter_counts_activities_of_any_edition_of_the_series():
    c = campaign()
    make_activity(campaign=c.code, participation=[p("general-public", "f", "18-plus", 100)])
    make_activity(participation=[p("general-public", "f", "18-plus", 1000)])  # no campaign
    assert compute("people-sensitised-vawg", "2014").total == 100


def test_only_validated_activities_count_in_official_figures():
    make_activity(status="draft", participation=[p("general-public", "f", "18-plus", 5)])
    make_activity(status="submitted", participation=[p("general-public", "f", "18-plus", 7)])
    make_activity(status="validated", participation=[p("general-public", "f", "18-plus", 11)])
    official = compute("participants-all", "2014")
    provisional = compute("participants-all", "2014", provisional=True)
    assert (official.total, official.provisional) == (11, False)
    assert (provisional.total, provisional.provisional) == (23, True)


def test_an_activity_belongs_to_the_period_of_its_start_date():
    make_activity(
        start="2014-12-30", end="2015-01-03", participation=[p("students", "f", "18-plus", 4)]
    )
    assert compute("participants-all", "2014").total == 4
    assert compute("participants-all", "2015").total == 0
    assert compute("participants-all", "2014-12").total == 4
    assert compute("participants-all", "2014-Q4").total == 4
    assert compute("participants-all", "2014-11").total == 0


def test_period_bounds_are_inclusive():
    make_activity(start="2014-01-01", end="2014-01-01")
    make_activity(start="2014-12-31", end="2014-12-31")
    assert compute("activities-all", "2014").total == 2
    assert compute("activities-all", "2014-01-02..2014-12-30").total == 0
    assert compute("activities-all", "2014-01-01..2014-01-01").total == 1


# --- breakdowns ----------------------------------------------------------------------


def test_breakdown_by_sex_and_age_sums_to_the_total():
    make_activity(
        participation=[
            p("general-public", "f", "18-plus", 30),
            p("general-public", "f", "under-18", 10),
            p("general-public", "m", "18-plus", 20),
            p("general-public", "u", "age-unknown", 3),
        ]
    )
    result = compute("participants-all", "2014", by=["sex", "age_group"])
    assert values(result) == {
        ("f", "18-plus"): 30,
        ("f", "under-18"): 10,
        ("m", "18-plus"): 20,
        ("u", "age-unknown"): 3,
    }
    assert result.total == 63 == sum(row.value for row in result.rows)


def test_breakdown_by_region_rolls_places_up_to_their_region():
    gao_cercle = cercle("ML0701", "ML07", "Gao")
    make_activity(place=gao_cercle.pcode, participation=[p("general-public", "f", "18-plus", 5)])
    make_activity(place="ML07", participation=[p("general-public", "f", "18-plus", 6)])
    make_activity(place="ML05", participation=[p("general-public", "f", "18-plus", 7)])
    result = compute("participants-all", "2014", by=["region"])
    assert values(result) == {("ML05",): 7, ("ML07",): 11}
    labels = {row.key["region"].code: row.key["region"].label for row in result.rows}
    assert labels == {"ML05": "Mopti", "ML07": "Gao"}


def test_breakdown_by_time():
    make_activity(start="2014-03-08", end="2014-03-08")
    make_activity(start="2014-11-25", end="2014-11-26")
    make_activity(start="2014-11-30", end="2014-11-30")
    assert values(compute("activities-all", "2014", by=["month"])) == {
        ("2014-03",): 1,
        ("2014-11",): 2,
    }
    assert values(compute("activities-all", "2014", by=["quarter"])) == {
        ("2014-Q1",): 1,
        ("2014-Q4",): 2,
    }
    assert values(compute("activities-all", "2014", by=["year"])) == {("2014",): 3}


def test_breakdown_by_theme_lists_an_activity_under_each_theme_but_counts_it_once():
    make_activity(themes=["gbv", "wps-1325"])
    make_activity(themes=["gbv"])
    result = compute("activities-all", "2014", by=["theme"])
    assert values(result) == {("gbv",): 2, ("wps-1325",): 1}
    assert result.total == 2


def test_breakdown_by_campaign_project_organiser_and_type():
    c = campaign()
    project = Project.objects.create(code="sgbv-justice", name_fr="P", name_en="P")
    org = Organisation.objects.create(code="onu-femmes", name="ONU Femmes", kind="un")
    make_activity(campaign=c.code, project=project.code, organiser=org.code, type="workshop")
    make_activity(type="conference")
    assert values(compute("activities-all", "2014", by=["campaign", "project", "organiser"])) == {
        ("16-days-2014", "sgbv-justice", "onu-femmes"): 1,
        ("", "", ""): 1,
    }
    assert values(compute("activities-all", "2014", by=["activity_type"])) == {
        ("conference",): 1,
        ("workshop",): 1,
    }


def test_a_breakdown_the_indicator_does_not_allow_is_refused():
    with pytest.raises(EngineError, match="sex"):
        compute("women-girls-reached-1325", "2014", by=["sex"])
    with pytest.raises(EngineError):
        compute("activities-all", "2014", by=["audience"])
    with pytest.raises(EngineError):
        compute("participants-all", "2014", by=["sex", "sex"])


def test_an_unknown_indicator_is_refused_with_its_code():
    with pytest.raises(EngineError, match="no-such-indicator"):
        compute("no-such-indicator", "2014")


# --- unique persons ------------------------------------------------------------------


def attendance(*codes: str, sex: str = "f", audience: str = "students") -> list[dict]:
    return [{"code": c, "sex": sex, "audience": audience, "age": "18-plus"} for c in codes]


def test_unique_persons_count_a_person_once_across_activities():
    for i, codes in enumerate([("A", "B", "C"), ("A", "B"), ("A", "D")]):
        make_activity(
            type="awareness-session",
            source_key=f"s{i}",
            participation=[p("students", "f", "18-plus", len(codes))],
            attendance=attendance(*codes),
        )
    assert compute("students-sensitised-gbv", "2014").total == 4
    assert compute("participants-all", "2014").total == 7  # contacts


def test_unique_persons_by_region_are_counted_in_each_region_but_once_in_the_total():
    make_activity(
        place="ML07",
        participation=[p("students", "f", "18-plus", 2)],
        attendance=attendance("A", "B"),
    )
    make_activity(
        place="ML05",
        participation=[p("students", "f", "18-plus", 2)],
        attendance=attendance("A", "C"),
    )
    result = compute("students-sensitised-gbv", "2014", by=["region"])
    assert values(result) == {("ML05",): 2, ("ML07",): 2}
    assert result.total == 3


def test_unique_persons_by_sex_read_the_attendee():
    make_activity(
        participation=[p("students", "f", "18-plus", 2), p("students", "m", "18-plus", 1)],
        attendance=attendance("A", "B") + attendance("C", sex="m"),
    )
    assert values(compute("students-sensitised-gbv", "2014", by=["sex"])) == {("f",): 2, ("m",): 1}


def test_unique_persons_follow_the_audience_on_the_attendance_list():
    make_activity(
        participation=[p("students", "f", "18-plus", 1), p("general-public", "f", "18-plus", 1)],
        attendance=attendance("A") + attendance("B", audience="general-public"),
    )
    assert compute("students-sensitised-gbv", "2014").total == 1


# --- media reach, activities, ratios --------------------------------------------------


def test_media_reach_is_its_own_line_never_added_to_participants():
    make_activity(
        type="radio-programme",
        participation=[p("media", "f", "18-plus", 2)],
        media=[{"medium": "radio", "outlet": "ORTM", "audience": 150000}],
    )
    assert compute("media-audience", "2014").total == 150000
    assert compute("participants-all", "2014").total == 2
    assert values(compute("media-audience", "2014", by=["medium"])) == {("radio",): 150000}


def test_activities_count_activities_not_participants():
    make_activity()
    make_activity(participation=[])
    assert compute("activities-all", "2014").total == 2


def test_a_ratio_divides_numerator_by_denominator_in_each_cell():
    make_activity(
        place="ML07",
        participation=[
            p("general-public", "f", "18-plus", 30),
            p("general-public", "m", "18-plus", 10),
        ],
    )
    make_activity(place="ML05", participation=[p("general-public", "m", "18-plus", 10)])
    result = compute("share-women-participants", "2014", by=["region"])
    assert result.total == pytest.approx(30 / 50)
    assert values(result) == {("ML07",): pytest.approx(0.75)}


def test_a_ratio_without_denominator_is_empty_not_zero():
    assert compute("share-women-participants", "2014").total is None


# --- scope ------------------------------------------------------------------------------


def test_a_region_scope_restricts_every_figure():
    make_activity(place="ML07", participation=[p("general-public", "f", "18-plus", 5)])
    make_activity(place="ML05", participation=[p("general-public", "f", "18-plus", 7)])
    scope = Scope(regions=(region("ML07").pk,))
    assert compute("participants-all", "2014", scope).total == 5
    assert compute("activities-all", "2014", scope).total == 1


def test_an_organisation_scope_matches_the_organiser_or_a_partner():
    org = Organisation.objects.create(code="cafo", name="CAFO", kind="womens_org")
    other = Organisation.objects.create(code="wildaf", name="WILDAF", kind="womens_org")
    make_activity(organiser="cafo")
    make_activity(organiser="wildaf", partners=["cafo"])
    make_activity(organiser="wildaf")
    assert compute("activities-all", "2014", Scope(organisations=(org.pk,))).total == 2
    assert compute("activities-all", "2014", Scope(organisations=(other.pk,))).total == 2


def test_campaign_and_project_scopes():
    c = campaign()
    project = Project.objects.create(code="sgbv-justice", name_fr="P", name_en="P")
    make_activity(campaign=c.code)
    make_activity(project=project.code)
    make_activity()
    assert compute("activities-all", "2014", Scope(campaigns=(c.pk,))).total == 1
    assert compute("activities-all", "2014", Scope(projects=(project.pk,))).total == 1


# --- provenance ------------------------------------------------------------------------


def test_provenance_lists_exactly_the_activities_that_make_the_figure():
    with_women = make_activity(participation=[p("general-public", "f", "18-plus", 3)])
    make_activity(participation=[p("general-public", "m", "18-plus", 3)])
    make_activity(status="draft", participation=[p("general-public", "f", "18-plus", 3)])
    result = compute("women-participants", "2014")
    assert list(result.activities()) == [with_women]


def test_provenance_of_a_ratio_joins_both_terms():
    a = make_activity(participation=[p("general-public", "f", "18-plus", 3)])
    b = make_activity(participation=[p("general-public", "m", "18-plus", 3)])
    result = compute("share-women-participants", "2014")
    assert set(result.activities()) == {a, b}


def test_result_as_dict_is_json_ready():
    make_activity()
    data = compute("participants-all", "2014", by=["sex"]).as_dict()
    assert data["total"] == 50
    assert data["period"] == {"code": "2014", "start": "2014-01-01", "end": "2014-12-31"}
    assert {r["key"]["sex"]["code"]: r["value"] for r in data["rows"]} == {"f": 30, "m": 20}


def test_headline_lists_the_four_seed_indicators_in_order():
    codes = [r.indicator.code for r in headline(Period.year(2014))]
    assert codes == [
        "students-sensitised-gbv",
        "people-sensitised-vawg",
        "women-girls-reached-1325",
        "mission-staff-trained-gender",
    ]


def test_indicator_definitions_are_validated():
    ind = Indicator(
        code="x", name_fr="x", name_en="x", rule="contacts", sexes=["x"], disaggregations=["colour"]
    )
    with pytest.raises(ValidationError) as exc:
        ind.full_clean()
    assert set(exc.value.message_dict) >= {"sexes", "disaggregations"}
    ratio = Indicator(code="y", name_fr="y", name_en="y", rule="ratio")
    with pytest.raises(ValidationError):
        ratio.full_clean()


def test_activity_rows_are_not_loaded_to_count(django_assert_max_num_queries):
    for i in range(30):
        make_activity(source_key=f"a{i}")
    Activity.objects.update(status="validated")
    compute("participants-all", "2014")  # the analytics store catches up (its own test)
    # indicator filters (a few tiny lookups) + one aggregate: never one query per activity
    with django_assert_max_num_queries(12):
        assert compute("participants-all", "2014", by=["sex", "region"]).total == 1500


def test_a_region_filter_counts_only_its_regions():
    # the 1325 figure is defined over Gao, Tombouctou, Mopti and Bamako only
    c = campaign(series="open-day-1325", code="open-day-1325-2014")
    for pcode in ("ML07", "ML01"):
        make_activity(
            source_key=pcode,
            type="open-day",
            themes=["wps-1325"],
            campaign=c.code,
            place=pcode,
            start="2014-11-30",
            end="2014-11-30",
            participation=[p("general-public", "f", "18-plus", 10)],
        )
    assert compute("women-girls-reached-1325", "2014").total == 10
