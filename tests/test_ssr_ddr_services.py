"""Security sector and DDR: strengths and programme figures are written whole or not at
all, through security/services.py, each bad input refused with one message naming its
field, in the user's language, and nothing written; the workflow and versions are
representation's."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.demo.users import demo_users_ensure
from musow.security import services
from musow.security.models import Report, ReportCount, Strength
from musow.security.services import Cell
from tests.security_factories import make_report, make_strength, report_input

pytestmark = pytest.mark.django_db

GOOD = {
    "ddr_registered__f__18_plus": 10,
    "ddr_registered__m__18_plus": 30,
    "ddr_demobilised__f__18_plus": 8,
    "ddr_demobilised__m__18_plus": 30,
    "ddr_reintegrated__f__18_plus": 5,
}


def _refused(data, user=None, lang="en"):
    before = (Report.objects.count(), ReportCount.objects.count(), Entry.objects.count())
    with translation.override(lang), pytest.raises(ValidationError) as error:
        services.report_save(data=data, user=user)
    after = (Report.objects.count(), ReportCount.objects.count(), Entry.objects.count())
    assert after == before, "nothing is written"
    return error.value.message_dict


def test_it_records_ddr_figures_and_their_trail():
    report = make_report(status="draft", **GOOD)
    assert report.status == "draft" and report.version == 1
    assert ReportCount.objects.filter(report=report).count() == 5
    services.record_submit(record=report)
    services.record_validate(record=report)
    services.record_return(record=report, comment="Les chiffres de Tombouctou manquent.")
    actions = sorted(Entry.objects.for_target(report).values_list("action", flat=True))
    assert actions == ["create", "return", "submit", "validate"]
    report.refresh_from_db()
    assert report.status == "draft" and report.version == 4


def test_it_refuses_negative_counts_naming_the_field():
    problems = _refused(report_input(ddr_registered__f__18_plus=-3))
    assert problems == {
        "cells": [
            "The number of women aged “18 and over” at the stage “Registered (DDR)” "
            "cannot be negative."
        ]
    }


def test_it_refuses_more_reintegrated_than_demobilised_than_registered():
    problems = _refused(
        report_input(
            ddr_registered__f__under_18=4,
            ddr_demobilised__f__under_18=6,
            ddr_reintegrated__f__under_18=7,
        )
    )
    assert problems == {
        "cells": [
            "Demobilised (DDR) (6) cannot be more than Registered (DDR) (4): women aged "
            "“Under 18”.",
            "Reintegrated (DDR) (7) cannot be more than Demobilised (DDR) (6): women aged "
            "“Under 18”.",
        ]
    }


def test_it_refuses_an_unknown_stage_or_age_group_or_a_stage_of_another_programme():
    data = report_input(ddr_registered__f__18_plus=3)
    data = data.__class__(
        **{
            **data.__dict__,
            "cells": (
                Cell("ddr-enrolled", "f", "18-plus", 1),
                Cell("recruited", "f", "18-plus", 1),
                Cell("ddr-registered", "f", "over-60", 1),
            ),
        }
    )
    problems = _refused(data)
    assert len(problems["cells"]) == 3  # one message per problem
    assert problems["cells"][0].startswith("Unknown stage “ddr-enrolled” for this programme.")
    assert "ddr-registered, ddr-demobilised, ddr-reintegrated" in problems["cells"][0]
    assert problems["cells"][2].startswith("Unknown age group “over-60”.")
    problems = _refused(data.__class__(**{**data.__dict__, "cells": data.cells[1:2]}))
    assert "Unknown stage “recruited”" in problems["cells"][0]


def test_it_refuses_a_date_in_the_future_and_a_period_ending_before_it_starts():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    problems = _refused(report_input(end=tomorrow, ddr_registered__f__18_plus=1))
    assert list(problems) == ["period_end"]
    assert "is in the future" in problems["period_end"][0]
    problems = _refused(report_input(start="2015-06-01", end="2015-05-01", **GOOD))
    assert problems == {"period_end": ["The period cannot end before it starts."]}


def test_it_refuses_a_place_of_another_region_for_a_focal_point_in_french():
    demo_users_ensure()
    gao = User.objects.get(username="gao")
    problems = _refused(report_input(pcode="ML09", **GOOD), user=gao, lang="fr")
    assert list(problems) == ["place"]
    assert "votre ou vos régions" in problems["place"][0]
    make_report(pcode="ML07", user=gao, status="draft", **GOOD)  # their own region: written


def test_a_recruitment_names_its_force_and_only_cvr_a_project():
    problems = _refused(report_input("recruitment", recruited__f__18_plus=3))
    assert problems == {"force": ["Say which force recruited."]}
    report = make_report("recruitment", force="gendarmerie", recruited__f__18_plus=3)
    assert report.force.code == "gendarmerie"


def test_a_strength_is_checked_too_and_only_officers_enter_it():
    demo_users_ensure()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        make_strength("police", "2015-12-31", women=-1, men=10)
    assert error.value.message_dict == {"women": ["The number of women cannot be negative."]}
    with pytest.raises(ValidationError) as error:
        gao = User.objects.get(username="gao")
        make_strength("police", "2015-12-31", women=1, men=10, user=gao)
    assert list(error.value.message_dict) == ["force"]
    assert not Strength.objects.exists()


def test_an_edit_from_an_old_version_is_refused():
    report = make_report(status="draft", **GOOD)
    data = report_input(**{**GOOD, "ddr_registered__f__18_plus": 12})
    services.report_save(data=data, report=report, expected_version=1)
    with pytest.raises(ValidationError) as error:
        services.report_save(data=data, report=Report.objects.get(), expected_version=1)
    assert error.value.code == "stale"
    assert ReportCount.objects.get(stage__code="ddr-registered", sex="f").count == 12
    assert date.fromisoformat("2015-03-31") == Report.objects.get().period_end
