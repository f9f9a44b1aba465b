"""Providers' monthly reports: counts only, under an agreement in force, within the
officer's scope; bad input gets one clear message each and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.protection.models import ProviderReport
from musow.protection.services import (
    AgreementInput,
    agreement_save,
    report_advance,
    report_input_from,
    report_save,
)
from tests.protection_helpers import agreement, month, officer, provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clinic():
    org = provider("clinique-bamako", "ML09")
    agreement(org)
    return org


def _refused(user, data, **kwargs) -> list[str]:
    before = ProviderReport.objects.count(), Entry.objects.count()
    with pytest.raises(ValidationError) as error:
        report_save(user=user, data=data, **kwargs)
    assert (ProviderReport.objects.count(), Entry.objects.count()) == before
    return error.value.messages


def test_it_records_a_providers_month_with_its_audit_entry(clinic):
    user = officer()
    report = report_save(user=user, data=month(clinic, "ML09"))
    assert report.incidents == 9 and report.region.pcode == "ML09"
    assert report_input_from(report).by_type[("rape", "f", "12-17")] == 2
    entry = Entry.objects.for_target(report).get()
    assert entry.actor == user and entry.changes["incidents"] == [None, 9]


def test_it_refuses_totals_that_do_not_match_their_breakdowns(clinic):
    messages = _refused(officer(), month(clinic, "ML09", incidents=10))
    assert len(messages) == 2  # by type and by time to report: one message each
    assert all("10" in m for m in messages)


def test_it_refuses_negative_counts(clinic):
    data = month(clinic, "ML09", services={"health": -1})
    assert _refused(officer(), data) == ["Counts cannot be negative."]


def test_it_refuses_a_justice_stage_larger_than_the_one_before(clinic):
    chain = {"complaints": 5, "investigations": 4, "sent_to_court": 2, "judgments": 3}
    [message] = _refused(officer(), month(clinic, "ML09", justice=chain))
    assert "judgments (3)" in message and "cases sent to court (2)" in message


def test_it_refuses_a_month_without_an_agreement_in_force(clinic):
    [message] = _refused(officer(), month(clinic, "ML09", day="2024-12-01"))
    assert "no data-sharing agreement in force for 12/2024" in message


def test_ending_an_agreement_keeps_what_was_shared_and_refuses_the_next(clinic):
    user = officer()
    kept = report_save(user=user, data=month(clinic, "ML09", day="2025-03-01"))
    current = clinic.sharing_agreements.get()
    agreement_save(
        user=user,
        agreement=current,
        data=AgreementInput(
            provider=clinic,
            tables=tuple(current.tables),
            valid_from=current.valid_from,
            valid_to=datetime.date(2025, 3, 31),
            signed_on=current.signed_on,
            signed_by_role=current.signed_by_role,
            document_reference=current.document_reference,
        ),
    )
    assert ProviderReport.objects.filter(pk=kept.pk).exists()
    [message] = _refused(user, month(clinic, "ML09", day="2025-04-01"))
    assert "no data-sharing agreement" in message


def test_it_refuses_a_table_the_agreement_does_not_cover():
    org = provider("centre-gao", "ML07")
    agreement(org, tables=["incidents", "delays"])
    [message] = _refused(officer(), month(org, "ML07"))
    assert "services, justice" in message


def test_it_refuses_a_provider_outside_the_officers_regions(clinic):
    gao_officer = officer("protection-gao", regions=("ML07",))
    messages = _refused(gao_officer, month(clinic, "ML09"))
    assert messages == [
        "This place is outside the regions you work in.",
        "This provider is outside the regions you work in.",
    ]


def test_other_roles_do_not_enter_reports(clinic):
    viewer = User.objects.create_user("lecteur-p", password="x", role=User.Role.VIEWER)
    assert _refused(viewer, month(clinic, "ML09")) == [
        "Your role does not enter the programme's reports."
    ]


def test_an_edit_made_from_an_older_version_is_refused(clinic):
    user = officer()
    report = report_save(user=user, data=month(clinic, "ML09"))
    report_save(
        user=user, data=month(clinic, "ML09", legal_aid=2), report=report, expected_version=1
    )
    stale = ProviderReport.objects.get(pk=report.pk)
    with pytest.raises(ValidationError, match="Someone saved this report"):
        report_save(user=user, data=month(clinic, "ML09"), report=stale, expected_version=1)
    assert ProviderReport.objects.get(pk=report.pk).legal_aid == 2


def test_a_report_is_submitted_then_validated_with_its_trail(clinic):
    user = officer()
    report = report_save(user=user, data=month(clinic, "ML09"))
    report_advance(user=user, report=report)
    report_advance(user=user, report=report)
    assert report.status == ProviderReport.Status.VALIDATED
    actions = list(Entry.objects.for_target(report).values_list("action", flat=True))
    assert actions == ["validate", "submit", "create"]
    with pytest.raises(ValidationError):
        report_advance(user=user, report=report)
