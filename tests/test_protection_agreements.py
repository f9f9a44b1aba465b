"""Data-sharing agreements in the browser (protection officers, the unit admin): create,
end (what was shared stays, the next months are refused); and the dashboard's panel for
those who see the programme whole (audited), absent for everyone else."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.protection.models import Agreement, ProviderReport
from musow.protection.services import report_save
from tests.protection_helpers import agreement, month, officer, provider
from tests.web_fixtures import FAST_HASHERS, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _errors(page) -> list[str]:
    html = page.content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", summary.group(0))


AGREEMENT = {
    "tables": ["incidents", "justice"],
    "valid_from": "2025-01-01",
    "valid_to": "",
    "signed_on": "2024-12-10",
    "signed_by_role": "directrice",
    "document_reference": "ACC-2024-07",
}


def test_a_protection_officer_creates_an_agreement_and_it_is_audited():
    org = provider("clinique-gao", "ML07")
    client = _client(officer())
    assert client.get(url("web:protection-agreement-new")).status_code == 200
    response = client.post(url("web:protection-agreement-new"), {**AGREEMENT, "provider": org.pk})
    made = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("web:protection-agreement", made.pk)
    assert made.tables == ["incidents", "justice"] and made.valid_to is None
    assert Entry.objects.filter(action=Entry.Action.CREATE, target_id=str(made.pk)).exists()
    listing = client.get(url("web:protection-agreements")).content.decode()
    assert "ACC-2024-07" in listing and "CLINIQUE-GAO" in listing


def test_it_refuses_a_bad_agreement_with_one_message_per_problem_and_writes_nothing():
    org = provider("clinique-gao", "ML07")
    client = _client(officer())
    bad = {
        **AGREEMENT,
        "provider": org.pk,
        "valid_to": "2024-06-30",  # before it comes into force
        "signed_on": "2025-02-01",  # after it comes into force
        "signed_by_role": " ",
    }
    page = client.post(url("web:protection-agreement-new"), bad)
    assert page.status_code == 200
    errors = _errors(page)
    assert len(errors) == 3, errors
    assert Agreement.objects.count() == 0


def test_ending_an_agreement_keeps_what_was_shared_and_refuses_the_next_months():
    org = provider("centre-gao", "ML07")
    deal = agreement(org)
    report = report_save(user=None, data=month(org, "ML07", "2025-03-01"))
    client = _client(officer())
    page = client.get(url("web:protection-agreement", deal.pk)).content.decode()
    assert "ACC-centre-gao-2024" in page
    response = client.post(url("web:protection-agreement-end", deal.pk), {"on": "2025-03-31"})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.valid_to == datetime.date(2025, 3, 31)
    assert ProviderReport.objects.filter(pk=report.pk, agreement=deal).exists()  # kept
    with pytest.raises(ValidationError):
        report_save(user=None, data=month(org, "ML07", "2025-04-01"))  # the next month
    trail = Entry.objects.filter(target_id=str(deal.pk), action=Entry.Action.UPDATE).get()
    assert trail.changes["valid_to"] == [None, "2025-03-31"]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2025-02-15", "2025"),  # a month already shared (March) stays under it
        ("2024-12-31", "came into force"),
        ("", "This field is required"),
    ],
)
def test_it_refuses_to_end_an_agreement_badly_and_changes_nothing(on, message):
    org = provider("centre-gao", "ML07")
    deal = agreement(org)
    report_save(user=None, data=month(org, "ML07", "2025-03-01"))
    client = _client(officer())
    client.cookies["django_language"] = "en"
    page = client.post(
        url("web:protection-agreement-end", deal.pk, lang="en"),
        {"on": on},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 400
    errors = _errors(page)
    assert len(errors) == 1 and message in errors[0], errors
    deal.refresh_from_db()
    assert deal.valid_to is None


def test_only_protection_officers_and_the_unit_admin_manage_agreements():
    deal = agreement(provider("centre-gao", "ML07"))
    viewer = User.objects.create_user("lecteur", password="x", role=User.Role.VIEWER)
    officer_ = User.objects.create_user("charge", password="x", role=User.Role.OFFICER)
    for user in (viewer, officer_):
        client = _client(user)
        assert client.get(url("web:protection-agreements")).status_code == 403
        ended = client.post(url("web:protection-agreement-end", deal.pk), {"on": "2099-01-01"})
        assert ended.status_code == 403
    deal.refresh_from_db()
    assert deal.valid_to is None


# --- the dashboard's panel ----------------------------------------------------------------


def test_the_dashboard_shows_protection_officers_the_programme_whole_and_audits_it():
    org = provider("centre-gao", "ML07")
    agreement(org, valid_to=timezone.localdate() + datetime.timedelta(days=20))
    other = provider("clinique-bamako", "ML09")
    agreement(other, valid_from=datetime.date(2025, 1, 1))
    report = report_save(user=None, data=month(org, "ML07", "2025-03-01"))
    ProviderReport.objects.filter(pk=report.pk).update(status=ProviderReport.Status.VALIDATED)
    user = officer()
    page = _client(user).get(url("web:dashboard") + "?period=2025-Q1").content.decode()
    panel = page[page.index('id="dash-sgbv-title"') :]
    assert "CENTRE-GAO" in panel and "CLINIQUE-BAMAKO" in panel  # the latter: none received
    assert "ACC-centre-gao-2024" in panel  # ends within 60 days
    # whole: the single physical assault is shown as 1, not "< 5"
    assert re.search(r"dash-bar__value\">1<", panel)
    funnel = panel[panel.index('id="dash-sgbv-funnel"') :]
    assert "<svg" in funnel and ">5<" in funnel  # 5 complaints, whole
    seen = Entry.objects.filter(action=Entry.Action.VIEW_WHOLE, actor=user).get()
    assert seen.target_label.startswith("dashboard: 2025-Q1")


@pytest.mark.parametrize("role", [User.Role.VIEWER, User.Role.OFFICER, User.Role.FOCAL_POINT])
def test_the_dashboard_has_no_programme_panel_for_other_roles(role):
    org = provider("centre-gao", "ML07")
    agreement(org)
    report_save(user=None, data=month(org, "ML07", "2025-03-01"))
    user = User.objects.create_user("autre", password="x", role=role)
    page = _client(user).get(url("web:dashboard") + "?period=2025-Q1").content.decode()
    assert "dash-sgbv" not in page
    assert not Entry.objects.filter(action=Entry.Action.VIEW_WHOLE).exists()
