"""Whatever a record holds, the write path answers with a ValidationError or a saved
activity — never a traceback, never a half-written activity."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.activities.models import Activity, Participation
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save
from tests.factories import record

pytestmark = pytest.mark.django_db

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["ML09", "ML07", "conference", "gbv", "2014-11-26", "2014-02-30", "f", "-1"]),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
cell = st.fixed_dictionaries(
    {},
    optional={"audience": junk, "sex": junk, "age": junk, "count": junk},
)
FIELDS = ["type", "title", "start", "end", "place", "themes", "campaign", "status", "total"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(st.sampled_from(FIELDS), junk, max_size=5),
    st.one_of(st.none(), st.lists(cell, max_size=4)),
)
def test_any_record_is_saved_whole_or_refused_with_messages(overrides, participation):
    data = record(**overrides)
    if participation is not None:
        data["participation"] = participation
    with transaction.atomic():
        try:
            activity = activity_save(data=activity_input_from_record(data, source="fuzz"))
        except ValidationError as exc:
            assert exc.message_dict and all(exc.message_dict.values())
            assert not Activity.objects.filter(source="fuzz").exists()
        else:
            total = sum(
                Participation.objects.filter(activity=activity).values_list("count", flat=True)
            )
            assert total == sum(int(c["count"]) for c in data["participation"])
        transaction.set_rollback(True)
