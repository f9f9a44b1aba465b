"""Who sees which records and which figures: the roles table (docs/architecture.md,
accounts/scopes.py)."""

import pytest

from musow.accounts import scopes
from musow.activities.models import Organisation
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_delete
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.indicators.engine import EVERYTHING, Scope, compute, get_indicator
from musow.indicators.periods import Period
from tests.factories import make_activity, record

pytestmark = pytest.mark.django_db


def region(pcode: str) -> Place:
    return Place.objects.get(pcode=pcode, level=1, gazetteer__code=SHIPPED_GAZETTEER)


@pytest.fixture
def users(django_user_model):
    make = django_user_model.objects.create_user
    org = Organisation.objects.create(code="wildaf-test", name="WILDAF", kind="cso")
    focal = make("focal", role="focal_point")
    focal.regions.set([region("ML07")])  # Gao
    return {
        "admin": make("admin", role="admin"),
        "officer": make("officer", role="officer"),
        "focal": focal,
        "partner": make("partner", role="partner", organisation=org),
        "viewer": make("viewer", role="viewer"),
        "org": org,
    }


@pytest.fixture
def activities(users):
    return {
        "gao": make_activity(key="a-gao", place="ML07", title="Gao", status="draft"),
        "gao-validated": make_activity(key="a-gao-v", place="ML07", title="Gao validée"),
        "bamako": make_activity(key="a-bko", place="ML09", title="Bamako"),
        "partnered": make_activity(
            key="a-part", place="ML09", title="Partenaire", partners=["wildaf-test"]
        ),
    }


def visible(user) -> set[str]:
    return set(scopes.activities_for(user).values_list("title", flat=True))


def test_each_role_sees_its_own_records(users, activities):
    assert visible(users["admin"]) == {"Gao", "Gao validée", "Bamako", "Partenaire"}
    assert visible(users["officer"]) == {"Gao", "Gao validée", "Bamako", "Partenaire"}
    assert visible(users["focal"]) == {"Gao", "Gao validée"}
    assert visible(users["partner"]) == {"Partenaire"}
    assert visible(users["viewer"]) == set()


def test_a_deleted_activity_is_visible_only_to_the_unit_admin_asking_for_it(users, activities):
    activity_delete(activity=activities["gao"], user=users["officer"])
    assert "Gao" not in visible(users["admin"])
    assert "Gao" in set(
        scopes.activities_for(users["admin"], include_deleted=True).values_list("title", flat=True)
    )
    assert scopes.activities_for(users["officer"], include_deleted=True).count() == 3


def test_figures_are_limited_to_the_users_scope(users, activities):
    participants = get_indicator("participants-all")
    period = Period.parse("2014")

    def total(user) -> int:
        return int(compute(participants, period, scopes.figure_scope(user), by=()).total or 0)

    assert total(users["admin"]) == 150
    assert total(users["focal"]) == 50  # its draft does not count
    assert total(users["partner"]) == 50
    assert scopes.figure_scope(users["viewer"]) == EVERYTHING


def test_a_scope_outside_the_users_rights_is_refused(users):
    gao, bamako = region("ML07").pk, region("ML09").pk
    assert scopes.may_see_scope(users["focal"], Scope(regions=(gao,)))
    assert not scopes.may_see_scope(users["focal"], Scope(regions=(bamako,)))
    assert not scopes.may_see_scope(users["focal"], EVERYTHING)
    assert scopes.may_see_scope(users["officer"], Scope(regions=(bamako,)))
    assert scopes.narrow(users["focal"], EVERYTHING) == Scope(regions=(gao,))


def test_writes_stay_in_scope(users, activities):
    in_gao = activity_input_from_record(record(place="ML07"), source="t")
    in_bamako = activity_input_from_record(record(place="ML09"), source="t")
    assert scopes.may_write(users["focal"], in_gao)
    assert not scopes.may_write(users["focal"], in_bamako)
    assert not scopes.may_write(users["partner"], in_bamako)
    assert not scopes.may_write(users["viewer"], in_gao)
    assert not scopes.may_edit(users["focal"], activities["gao"])  # not theirs
    activities["gao"].created_by = users["focal"]
    activities["gao"].save(update_fields=["created_by"])
    assert scopes.may_edit(users["focal"], activities["gao"])  # their own draft
    assert not scopes.may_edit(users["focal"], activities["gao-validated"])
    assert scopes.may_edit(users["officer"], activities["gao-validated"])
    assert not scopes.may_edit(users["focal"], activities["bamako"])
    assert not scopes.may_edit(users["viewer"], activities["gao"])


def test_an_inactive_or_anonymous_user_has_no_rights(users, activities):
    from django.contrib.auth.models import AnonymousUser

    users["officer"].is_active = False
    assert visible(users["officer"]) == set()
    assert visible(AnonymousUser()) == set()
    assert not scopes.can_enter(AnonymousUser())
