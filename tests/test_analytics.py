"""The analytics store: figures computed in DuckDB or ClickHouse (chDB) equal the
register's, after every kind of write, through crashes, and say where they were computed."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from musow.activities.models import Activity, Attendee, Campaign, CampaignSeries, Participation
from musow.activities.records import activity_input_from_record
from musow.activities.services import (
    BatchItem,
    activity_delete,
    activity_restore,
    activity_return,
    activity_save,
    activity_submit,
    activity_upsert_batch,
    activity_validate,
)
from musow.analytics import figures as store_figures
from musow.analytics import sync
from musow.analytics.models import Change
from musow.analytics.stores import file_lock
from musow.geo.models import Place
from musow.indicators.engine import compute
from tests import web_fixtures
from tests.analytics_helpers import STORES, figures, on_register, use_store, where
from tests.factories import make_activity, record

pytestmark = pytest.mark.django_db

world = web_fixtures.world  # the fixture: one account per role, two activities


@pytest.fixture(params=STORES)
def store(request, settings):
    use_store(settings, request.param)
    return request.param


def p(audience: str, sex: str, age: str, count: int) -> dict:
    return {"audience": audience, "sex": sex, "age": age, "count": count}


def same_as_register(code: str, period: str = "2014", **kwargs) -> object:
    """The figure from the store, checked equal to the register's; returns its total."""
    result = compute(code, period, **kwargs)
    assert where(result) - {"register"}, "the store did not answer"
    with on_register():
        expected = compute(code, period, **kwargs)
    assert where(expected) == {"register"}
    assert figures(result) == figures(expected)
    return result.total


def test_a_figure_is_computed_in_the_store_and_says_where_and_how(store):
    make_activity(participation=[p("general-public", "f", "18-plus", 30)])
    result = compute("participants-all", "2014", by=["sex"])
    assert result.total == 30
    (computation,) = result.computed_by
    assert computation.where.startswith("duckdb" if store == "duckdb" else "clickhouse")
    (sql,) = computation.sql()
    assert "facts_participation" in sql and "GROUP BY f.sex" in sql


def test_every_write_shows_in_the_next_figure(store):
    def official() -> object:
        return same_as_register("participants-all", by=["sex", "region"])

    def provisional() -> object:
        return same_as_register("participants-all", by=["sex"], provisional=True)

    activity = make_activity(status="draft", participation=[p("students", "f", "18-plus", 7)])
    assert (official(), provisional()) == (0, 7)
    activity = activity_submit(activity=activity)
    activity = activity_validate(activity=activity)
    assert official() == 7
    edited = activity_input_from_record(
        record(status="validated", participation=[p("students", "f", "18-plus", 9)]),
        source="test",
    )
    activity = activity_save(data=edited, activity=activity)
    assert official() == 9
    activity = activity_return(activity=activity, comment="à revoir")
    assert (official(), provisional()) == (0, 9)
    activity = activity_delete(activity=activity)
    assert provisional() == 0
    activity = activity_restore(activity=activity)
    assert provisional() == 9
    # an import (the batch write)
    items = [
        BatchItem(
            activity_input_from_record(
                record(key=f"k{i}", participation=[p("general-public", "m", "18-plus", 5)]),
                source="import",
            )
        )
        for i in range(3)
    ]
    activity_upsert_batch(items=items)
    assert official() == 15
    # a bulk update that no service made
    Participation.objects.filter(sex="m").update(count=1)
    assert official() == 3
    Activity.objects.filter(status="returned").update(status="validated")
    assert official() == 12


def test_a_place_moved_to_another_region_moves_its_figures(store):
    region = Place.objects.get(pcode="ML07", level=Place.Level.REGION)
    cercle = Place.objects.create(
        gazetteer=region.gazetteer,
        pcode="ML0701",
        level=Place.Level.CERCLE,
        parent=region,
        name_fr="Gao",
        name_en="Gao",
    )
    make_activity(place="ML0701", participation=[p("students", "f", "18-plus", 4)])
    same_as_register("participants-all", by=["region"])
    Place.objects.filter(pk=cercle.pk).update(
        region=Place.objects.get(pcode="ML05", level=Place.Level.REGION)
    )
    same_as_register("participants-all", by=["region"])
    assert figures(compute("participants-all", "2014", by=["region"]))[1] == {("ML05",): 4}


def test_a_sex_learnt_later_moves_unique_persons_of_earlier_activities(store):
    for i, sex in enumerate(["u", "f"]):
        make_activity(
            source_key=f"a{i}",
            type="awareness-session",
            participation=[p("students", "f", "18-plus", 1)],
            attendance=[{"code": "P1", "sex": sex, "audience": "students", "age": "18-plus"}],
            start="2014-03-01" if i == 0 else "2015-03-01",
            end="2014-03-01" if i == 0 else "2015-03-01",
        )
    assert Attendee.objects.get().sex == "f"
    same_as_register("students-sensitised-gbv", by=["sex"])


def test_a_campaign_moved_to_another_series_moves_its_figures(store):
    campaign = Campaign.objects.create(
        code="c-2014",
        series=CampaignSeries.objects.get(code="8-march"),
        name_fr="c",
        name_en="c",
        start_date=date(2014, 11, 20),
        end_date=date(2014, 12, 20),
    )
    make_activity(campaign="c-2014", participation=[p("general-public", "f", "18-plus", 11)])
    assert same_as_register("people-sensitised-vawg") == 0
    campaign.series = CampaignSeries.objects.get(code="16-days")
    campaign.save()
    assert same_as_register("people-sensitised-vawg") == 11


def test_a_consumer_that_dies_mid_copy_leaves_its_changes_to_the_next(store, monkeypatch):
    make_activity(participation=[p("students", "f", "18-plus", 3)])
    assert compute("participants-all", "2014").total == 3
    make_activity(participation=[p("students", "f", "18-plus", 4)])

    real = sync.fill_sql if hasattr(sync, "fill_sql") else None
    calls = []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # after the deletes and one insert
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "fill_sql", dying)
    with pytest.raises(RuntimeError):
        sync.sync()
    monkeypatch.setattr(sync, "fill_sql", real)
    assert Change.objects.filter(claimed=True).exists()  # left for the next consumer
    assert same_as_register("participants-all", by=["sex"]) == 7
    assert not Change.objects.exists()


def test_a_consumer_that_dies_after_copying_counts_nothing_twice(store, monkeypatch):
    make_activity(participation=[p("students", "f", "18-plus", 3)])

    def dying() -> None:
        raise RuntimeError("killed before the outbox was cleared")

    monkeypatch.setattr(sync, "_bump", dying)
    with pytest.raises(RuntimeError):
        compute("participants-all", "2014")
    monkeypatch.undo()
    assert Change.objects.filter(claimed=True).exists()
    assert same_as_register("participants-all", by=["sex"]) == 3


def test_inside_a_transaction_that_changed_activities_the_register_answers(store):
    with transaction.atomic():
        make_activity(participation=[p("students", "f", "18-plus", 3)])
        result = compute("participants-all", "2014")
        assert (result.total, where(result)) == (3, {"register"})


def test_a_busy_store_lets_the_register_answer(store, monkeypatch, settings):
    make_activity(participation=[p("students", "f", "18-plus", 3)])
    compute("participants-all", "2014")
    monkeypatch.setattr(store_figures, "READ_TIMEOUT", 0.05)
    lock = sync._lock_path()
    with file_lock(lock, exclusive=True, timeout=1):
        make_activity(participation=[p("students", "f", "18-plus", 4)])
        result = compute("participants-all", "2014")
    assert (result.total, where(result)) == (7, {"register"})
    assert same_as_register("participants-all") == 7


def test_a_store_of_another_register_is_rebuilt_or_not_used(store, settings):
    make_activity(participation=[p("students", "f", "18-plus", 3)])
    compute("participants-all", "2014")
    sync.State.objects.filter(pk=1).update(register_id="another-register")
    settings.ANALYTICS = {**settings.ANALYTICS, "AUTO_REBUILD_MAX": 0}
    result = compute("participants-all", "2014")
    assert (result.total, where(result)) == (3, {"register"})
    settings.ANALYTICS = {**settings.ANALYTICS, "AUTO_REBUILD_MAX": 1000}
    assert same_as_register("participants-all") == 3


def test_check_finds_a_store_that_drifted_and_repair_mends_it(store, capsys):
    kept = make_activity(participation=[p("students", "f", "18-plus", 3)])
    make_activity(participation=[p("students", "m", "18-plus", 5)])
    call_command("analytics", "check", "--lang", "en")
    assert "The store equals the register." in capsys.readouterr().out
    with sync.current_store().writing(5) as session:
        table = sync.current_store().table("facts_participation")
        session.execute(f"DELETE FROM {table} WHERE activity_id = {kept.pk}")
    with pytest.raises(CommandError, match="differs"):
        call_command("analytics", "check", "--lang", "en")
    assert f"1 activity differs: {kept.pk}" in capsys.readouterr().out
    call_command("analytics", "check", "--repair", "--lang", "en")
    assert "1 activity copied again." in capsys.readouterr().out
    call_command("analytics", "check", "--lang", "en")
    assert "The store equals the register." in capsys.readouterr().out


def test_rebuild_builds_the_store_from_the_register(store, capsys):
    make_activity(participation=[p("students", "f", "18-plus", 3)])
    call_command("analytics", "rebuild", "--lang", "en")
    out = capsys.readouterr().out
    assert "Analytics store rebuilt" in out and "1 activities, 1 participation rows" in out
    assert same_as_register("participants-all", by=["sex"]) == 3


def test_figures_explain_prints_where_and_the_sql(capsys):
    make_activity(participation=[p("students", "f", "18-plus", 3)])
    call_command(
        "figures",
        "--year",
        "2014",
        "--indicator",
        "participants-all",
        "--by",
        "sex",
        "--explain",
        "--lang",
        "en",
    )
    out = capsys.readouterr().out
    assert "computed on: duckdb" in out
    assert "SELECT f.sex, SUM(f.participants) AS value FROM facts_participation" in out


def test_a_cached_build_is_kept_until_a_change_reaches_the_store(store):
    from musow.analytics.cache import remember
    from musow.indicators.models import Indicator

    builds = []

    def board() -> object:
        builds.append(1)
        return compute("participants-all", "2014").total

    make_activity(participation=[p("students", "f", "18-plus", 3)])
    assert [remember("board", ["fr", 2014], board) for _i in range(3)] == [3, 3, 3]
    assert len(builds) == 1
    make_activity(participation=[p("students", "f", "18-plus", 4)])
    assert remember("board", ["fr", 2014], board) == 7
    assert len(builds) == 2
    assert remember("board", ["en", 2014], board) == 7  # another key: its own build
    Indicator.objects.filter(code="participants-all").update(name_fr="Participants")
    remember("board", ["fr", 2014], board)  # an indicator changed: built again
    assert len(builds) == 4


def test_the_triggers_are_put_back_after_a_migration_and_removed_with_the_outbox():
    from musow.analytics import triggers

    present = triggers.names()
    assert any(table == "activities_participation" for table, _name in present)
    triggers.drop()
    assert triggers.names() == []
    triggers.ensure()  # what post_migrate does after every migrate
    assert triggers.names() == present


def test_a_web_write_is_copied_once_its_response_is_sent_and_a_read_is_not_charged(world):
    from tests.test_web_activities import form_data
    from tests.web_fixtures import url

    client = world.client("officer")
    before = compute("participants-all", "2014", provisional=True).total  # store in step
    assert not Change.objects.exists()
    make_activity(participation=[p("students", "f", "18-plus", 3)])  # a command, say
    client.get(url("web:activities"))
    assert Change.objects.exists()  # reading a page does not copy
    response = client.post(url("web:activity-new"), form_data(action="submit"))
    assert response.status_code == 302
    assert not Change.objects.exists()  # copied after the write's response
    assert same_as_register("participants-all", provisional=True) == before + 3 + 55
